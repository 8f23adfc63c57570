#!/usr/bin/env python3
"""Run an emulator for as long as its terminal is there.

When a terminal goes away (its window or tmux pane is closed, the ssh
connection drops) the kernel hangs it up and sends SIGHUP to the
session's controlling process only; a shell passes it on to its jobs, but
make, when it is the controlling process itself, just waits for its
children. An emulator that does not hear of it runs on for good, holding
the disk images: QEMU under make, and always Bochs, which make bochs-nox
runs in a session of its own (tools/bochs-nox.py).

wait() therefore watches for whichever comes first: the emulator exits;
the terminal on stdin hangs up (poll reports POLLHUP on it); this process
gets SIGHUP, SIGTERM or SIGINT. In the last two cases it stops the
emulator: SIGHUP (on which Bochs and QEMU both quit), and SIGKILL if it is
still there GRACE seconds later. An emulator started with
preexec_fn=die_with_parent also gets SIGKILL if this process dies
without stopping it.

usage: onhangup.py COMMAND [ARG...]   (exits with COMMAND's status)
"""

import ctypes
import os
import select
import signal
import subprocess
import sys

GRACE = 3               # seconds between SIGHUP and SIGKILL
PR_SET_PDEATHSIG = 1    # <linux/prctl.h>


def die_with_parent():
    """For Popen's preexec_fn: the child gets SIGKILL when we die."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class _Gone(BaseException):
    pass


def _on_signal(signum, frame):
    raise _Gone()


def stop(proc):
    """SIGHUP, as a closing terminal sends; SIGKILL if that is not enough."""
    for sig in (signal.SIGHUP, signal.SIGKILL):
        proc.send_signal(sig)
        try:
            return proc.wait(GRACE)
        except subprocess.TimeoutExpired:
            pass
    return proc.wait()


def wait(proc):
    """Wait until PROC exits, and return its status; or until the terminal
    goes away or we are told to stop, then stop PROC and return None."""
    handled = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)
    saved = {s: signal.signal(s, _on_signal) for s in handled}
    pidfd = os.pidfd_open(proc.pid)
    try:
        watch = select.poll()
        watch.register(pidfd, select.POLLIN)
        if os.isatty(0):
            watch.register(0, 0)     # reports only POLLHUP / POLLERR
        while True:
            for fd, _ in watch.poll():
                if fd == pidfd:
                    return proc.wait()
                raise _Gone()
    except _Gone:
        for s in handled:
            signal.signal(s, signal.SIG_IGN)
        stop(proc)
        return None
    finally:
        os.close(pidfd)
        for s, handler in saved.items():
            signal.signal(s, handler)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip().split("\n")[-1])
    proc = subprocess.Popen(sys.argv[1:], preexec_fn=die_with_parent)
    status = wait(proc)
    if status is None:
        sys.exit(128 + signal.SIGHUP)
    sys.exit(status if status >= 0 else 128 - status)


if __name__ == "__main__":
    main()
