#!/usr/bin/env python3
"""Run Bochs with its console on this terminal (make bochs-nox).

Debian's Bochs has its internal debugger compiled in, and the debugger
takes the terminal's input away from the curses display (display_library:
term), so keys typed there never reach the guest. Instead, this gives the
curses display a private pseudo-terminal (drained and discarded) and
attaches COM1 to this terminal, put in raw mode: the kernel mirrors its
console on COM1 and reads COM1 as well as the keyboard.

usage: bochs-nox.py BOCHS-ARGS...   (type 'poweroff' at K> to quit)
"""
import os
import pty
import subprocess
import sys
import termios
import threading
import tty


def drain(fd):
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass


def main():
    if not os.isatty(0):
        sys.exit('bochs-nox: standard input is not a terminal')
    term = os.ttyname(0)
    master, slave = pty.openpty()
    env = dict(os.environ, TERM=os.environ.get('TERM', 'vt100'))
    saved = termios.tcgetattr(0)
    tty.setraw(0)
    try:
        bochs = subprocess.Popen(
            ['bochs'] + sys.argv[1:] + ['display_library: term',
                                        f'com1: enabled=1, mode=term, dev={term}'],
            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        threading.Thread(target=drain, args=(master,), daemon=True).start()
        bochs.wait()
    finally:
        termios.tcsetattr(0, termios.TCSADRAIN, saved)
    print('\nBochs exited; its log is in obj/bochs.log')


if __name__ == '__main__':
    main()
