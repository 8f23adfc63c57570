"""termrun: a command run on a pseudo-terminal the way a person runs it in
a terminal window, for tests of the interactive targets (./jos bochs,
make qemu-nox).  gradelib runs the tests; this is one more kind of run.

    run = TermRun("screen")
    run.start(["./jos", "bochs", "IMAGE=" + run.copy("obj/kern/kernel.img")])
    run.wait_for(r"^\\$ ")        # on what the terminal shows ("\\r" removed)
    run.pause(2)                 # a person reading the screen
    run.send("vmm\\n")            # typed; the newline is the Enter key, "\\r"
    run.hang_up(10)              # close the terminal: Failure if a process
                                 # of the run is still there 10 s later

The harness is the terminal: it holds the master side of the pty (80x24,
TERM as asked).  The command is the session leader with the pty as its
controlling terminal (setsid --ctty), as a login shell is, so when the
terminal is closed the kernel hangs it up and sends the command SIGHUP;
everything else that must end then is up to the command.  The command
may be a shell (bash -i) at which the test types.

copy(path) makes a private copy of a file the command is to use, deleted
when the test ends, so tests never change the built images.  Every wait ends after STEP seconds at most: an emulator that stops fails
the wait, whose message then says what the run's processes were writing
to, if anything.
"""

import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import termios
import threading
import time

from gradelib import LOGDIR, ROOT, Console, Failure

ROWS, COLS = 24, 80
SYS_WRITE = 1                   # x86-64 system call number, for _writing()


class TermRun(Console):
    """One command on a pseudo-terminal whose other side is the harness."""

    what = "command"
    _count = 0

    def __init__(self, term, step=30, timeout=300, emu_log=None):
        """EMU_LOG: a file the emulator writes (e.g. obj/bochs.log), kept
        with the terminal's log when the test fails."""
        super().__init__(timeout)
        self.term, self.step, self.emu_log = term, step, emu_log
        self._copies = []            # relative to ROOT
        self._master = None
        self._left = []              # (pidfd, pid, name) not gone at hang-up

    # -- starting

    def copy(self, path):
        """A private copy of file PATH (relative to the top of the tree)."""
        copy = self.scratch(os.path.basename(path))
        shutil.copyfile(os.path.join(ROOT, path), os.path.join(ROOT, copy))
        return copy

    def scratch(self, name):
        """A path for a file NAME the run writes (an emulator's log, a copy),
        private to this run and removed with its copies."""
        TermRun._count += 1
        os.makedirs(os.path.join(ROOT, LOGDIR), exist_ok=True)
        path = os.path.join(LOGDIR, ".term-%d-%d-%s" % (os.getpid(), TermRun._count, name))
        self._copies.append(path)
        return path

    def start(self, cmd):
        self.cmd = list(cmd)
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        # A top-level command, as typed at a shell, even under "make grade".
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        env["TERM"] = self.term
        self._begin()
        try:
            self.proc = subprocess.Popen(["setsid", "--ctty"] + self.cmd, cwd=ROOT,
                                         env=env, stdin=slave, stdout=slave,
                                         stderr=slave)
        except OSError as e:
            os.close(master)
            self.ended = "could not start %s: %s" % (self.cmd[0], e)
            raise Failure(self.ended)
        finally:
            os.close(slave)
        self._master = master
        self._watch()
        return self

    def _reader(self):
        """Collect what the terminal shows, until nothing holds its slave
        side any more (EIO) or the harness closes it."""
        try:
            while True:
                ready, _, _ = select.select([self._master, self._wake_r], [], [])
                if self._wake_r in ready:
                    break
                try:
                    data = os.read(self._master, 65536)
                except OSError:
                    data = b""
                if not data or not self._add(data):
                    break
        finally:
            with self._cond:
                self._eof = True
                self._cond.notify_all()

    # -- the person at the terminal

    def send(self, text):
        """Type TEXT; each newline is a press of Enter."""
        if self._master is None:
            raise Failure("cannot type: the terminal is closed")
        try:
            os.write(self._master, text.replace("\n", "\r").encode())
        except OSError as e:
            raise Failure("cannot type into the terminal: %s" % e)

    def pause(self, seconds):
        """Do nothing for SECONDS, as a person reading the screen; what the
        command prints meanwhile is still collected."""
        time.sleep(seconds)

    def wait_for(self, regex, timeout=None):
        return super().wait_for(regex, self.step if timeout is None else timeout)

    def _timed_out(self, timeout, what):
        super()._timed_out(timeout, what)
        writing = self._writing()
        if writing:
            self.ended += "; " + writing

    def _writing(self):
        """Which processes of the run are in a write(), and to what: an
        emulator that stopped printing is often stuck in one."""
        notes = []
        for pid, name in self._tree():
            try:
                with open("/proc/%d/syscall" % pid) as f:
                    fields = f.read().split()
                if fields[0] == str(SYS_WRITE):
                    fd = int(fields[1], 16)
                    notes.append("%s (pid %d) is in write() to fd %d, %s" % (
                        name, pid, fd, os.readlink("/proc/%d/fd/%d" % (pid, fd))))
            except (OSError, ValueError, IndexError):
                pass
        return "; ".join(notes)

    def _tree(self):
        """(pid, name) of the command and of all its descendants, now."""
        names, children = {}, {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % entry) as f:
                    stat = f.read()
            except OSError:
                continue
            pid, ppid = int(entry), int(stat[stat.rindex(")") + 1:].split()[1])
            names[pid] = stat[stat.index("(") + 1:stat.rindex(")")]
            children.setdefault(ppid, []).append(pid)
        tree = [self.proc.pid] if self.proc.pid in names else []
        for pid in tree:
            tree += children.get(pid, [])
        return [(pid, names[pid]) for pid in tree]

    # -- closing the terminal

    def hang_up(self, within):
        """Close the terminal, as closing its window does, and wait up to
        WITHIN seconds for every process of the run to end; Failure naming
        those still there."""
        procs = []
        for pid, name in self._tree():
            try:
                procs.append((os.pidfd_open(pid), pid, name))
            except OSError:          # gone already
                pass
        os.write(self._wake_w, b"x")
        self._threads[0].join()      # a read in progress would keep it open
        os.close(self._master)
        self._master = None
        if self.ended == "running":
            self.ended = "terminal closed by the harness"
        self._left = _wait_gone(procs, within)
        if self._left:
            raise Failure("still running %gs after the terminal closed: %s" % (
                within, ", ".join("%s (pid %d)" % (name, pid)
                                  for _, pid, name in self._left)))

    def stop(self):
        """Close the terminal if the test did not, kill whatever is left of
        the run, and release everything."""
        if self.proc is None:
            return
        if self._master is not None:
            try:
                self.hang_up(5)
            except Failure:
                pass
        for fd, _, _ in self._left:
            try:
                signal.pidfd_send_signal(fd, signal.SIGKILL)
            except OSError:
                pass
            os.close(fd)
        self._left = []
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for t in self._threads:
            t.join(5)
        os.close(self._wake_r)
        os.close(self._wake_w)
        self._emu_text = self._read_emu_log()
        self.proc = None

    def _read_emu_log(self):
        if not self.emu_log:
            return ""
        path = os.path.join(ROOT, self.emu_log)
        try:
            if os.path.getmtime(path) < self.start_time:
                return ""            # not from this run
            with open(path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def remove_disk_copy(self):
        """Delete the private copies (and Bochs's locks on them)."""
        for copy in self._copies:
            for path in (copy, copy + ".lock"):
                try:
                    os.remove(os.path.join(ROOT, path))
                except OSError:
                    pass


def _wait_gone(procs, within):
    """Wait up to WITHIN seconds for the processes PROCS, (pidfd, pid, name),
    to end; return those still there (their pidfds stay open)."""
    left = {fd: (fd, pid, name) for fd, pid, name in procs}
    poller = select.poll()
    for fd in left:
        poller.register(fd, select.POLLIN)
    end = time.time() + within
    while left and time.time() < end:
        for fd, _ in poller.poll(max(0, end - time.time()) * 1000):
            poller.unregister(fd)
            os.close(fd)
            del left[fd]
    return list(left.values())
