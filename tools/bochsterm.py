"""Bochs's term display where nobody looks at it (make bochs-nox and the
test harness both run Bochs so).

Debian's Bochs has its debugger compiled in, and then the term display
(display_library: term) does not draw on the terminal Bochs runs in: it
opens a pseudo-terminal of its own (/dev/ptmx), prints
'Bochs connected to screen "/dev/pts/N"' on stderr, and draws the VGA
screen there with curses, for whoever opens /dev/pts/N. If nobody does,
what it draws piles up in that pseudo-terminal; about 20 KB fit, and then
Bochs blocks in write() for good: the whole machine stops, COM1 included.
How soon depends on $TERM, not whether: a round of vmm, a guest command
and halt draws some 3 KB with TERM=xterm and up to twice that with
TERM=screen (tmux), and the blinking cursor adds a few bytes per blink.

Curses needs a TERM it can draw on, or Bochs quits at once: display_term()
keeps the user's TERM when terminfo knows it, else takes vt100 (an ssh
from kitty, say, brings TERM=xterm-kitty to machines without its entry).

Display gives Bochs's stdin, stdout and stderr a private pseudo-terminal,
and one thread reads and throws away what Bochs prints there and, once
Bochs has named it, everything drawn on its screen. Nothing Bochs writes
there can then stop it: its other outputs are a log file and COM1, which
Bochs writes without blocking (O_NONBLOCK) or to a socket the harness
reads.

    display = Display()
    proc = subprocess.Popen([...], stdin=display.slave, stdout=display.slave,
                            stderr=display.slave, start_new_session=True)
    display.started(proc.pid)
    ...
    display.close()          # after Bochs has exited
"""

import os
import pty
import re
import selectors
import subprocess
import threading

PLAIN_TERM = "vt100"     # in ncurses-base, so always installed
SCREEN_MESSAGE = re.compile(rb'Bochs connected to screen "(/dev/pts/(\d+))"')


def display_term(term):
    """TERM if curses can draw on such a terminal (terminfo knows it and it
    moves the cursor), else PLAIN_TERM."""
    if term and subprocess.run(["tput", "-T" + term, "cup", "0", "0"],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL).returncode == 0:
        return term
    return PLAIN_TERM


def holds_master(pid, index):
    """True if process PID has the master side of /dev/pts/INDEX open."""
    fds = "/proc/%d/fd" % pid
    try:
        for fd in os.listdir(fds):
            if os.readlink(os.path.join(fds, fd)) != "/dev/ptmx":
                continue
            with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
                if re.search(r"^tty-index:\s*%s$" % index, f.read(), re.M):
                    return True
    except OSError:
        pass
    return False


class Display:
    """The private pseudo-terminal of one Bochs, and the thread that empties
    it and Bochs's screen."""

    def __init__(self):
        self.master, self.slave = pty.openpty()
        self._pid = None
        self._thread = None

    def started(self, pid):
        """Bochs (process PID) has the slave now: start reading."""
        os.close(self.slave)
        self.slave = None
        self._pid = pid
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def close(self):
        """Release everything; call once Bochs has exited."""
        if self._thread is not None:
            self._thread.join(5)
        for fd in (self.master, self.slave):
            if fd is not None:
                os.close(fd)
        self.master = self.slave = None

    def _drain(self):
        sel = selectors.DefaultSelector()
        sel.register(self.master, selectors.EVENT_READ)
        seen = b""            # Bochs's output, until it names its screen
        screen = None
        while sel.get_map():
            for key, _ in sel.select():
                try:
                    data = os.read(key.fd, 65536)
                except OSError:   # EIO: the other side is closed for good
                    data = b""
                if not data:
                    sel.unregister(key.fd)
                    if key.fd == screen:
                        os.close(screen)
                elif key.fd == self.master and seen is not None:
                    seen = (seen + data)[-4096:]
                    m = SCREEN_MESSAGE.search(seen)
                    if m:
                        seen = None
                        screen = self._open_screen(m)
                        if screen is not None:
                            sel.register(screen, selectors.EVENT_READ)
        sel.close()

    def _open_screen(self, m):
        """The screen Bochs named (match M), opened for reading, or None."""
        try:
            fd = os.open(m.group(1).decode(), os.O_RDONLY | os.O_NOCTTY)
        except OSError:
            return None
        # Only while Bochs still holds the master is /dev/pts/N its screen
        # (a closed pty's number is reused): never read someone else's.
        if holds_master(self._pid, m.group(2).decode()):
            return fd
        os.close(fd)
        return None
