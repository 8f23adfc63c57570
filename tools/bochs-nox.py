#!/usr/bin/env python3
"""Run Bochs with its console on this terminal (make bochs-nox).

Debian's Bochs has its internal debugger compiled in, and the debugger
takes the terminal's input away from the curses display (display_library:
term), so keys typed there never reach the guest. Instead, this attaches
COM1 to this terminal, put in raw mode (the kernel mirrors its console on
COM1 and reads COM1 as well as the keyboard), and gives the curses
display a private pseudo-terminal; what Bochs draws, there and on the
screen pseudo-terminal of its own, is read and thrown away
(tools/bochsterm.py), because a display nobody reads stops Bochs.

Bochs runs in a session of its own, so it does not see this terminal go
away; tools/onhangup.py stops it then (and if this script is killed).

usage: bochs-nox.py BOCHS-ARGS...   (type 'poweroff' at K> to quit)
"""
import os
import subprocess
import sys
import termios
import tty

sys.dont_write_bytecode = True      # keep __pycache__ out of the checkout
import bochsterm  # noqa: E402
import onhangup  # noqa: E402


def main():
    if not os.isatty(0):
        sys.exit('bochs-nox: standard input is not a terminal')
    term = os.ttyname(0)
    env = dict(os.environ, TERM=bochsterm.display_term(os.environ.get('TERM')))
    display = bochsterm.Display()
    saved = termios.tcgetattr(0)
    tty.setraw(0)
    try:
        bochs = subprocess.Popen(
            ['bochs'] + sys.argv[1:] + ['display_library: term',
                                        f'com1: enabled=1, mode=term, dev={term}'],
            stdin=display.slave, stdout=display.slave, stderr=display.slave,
            env=env, start_new_session=True, preexec_fn=onhangup.die_with_parent)
        display.started(bochs.pid)
        status = onhangup.wait(bochs)
    finally:
        try:
            termios.tcsetattr(0, termios.TCSADRAIN, saved)
        except termios.error:       # the terminal is gone
            pass
    display.close()
    if status is not None:
        logs = [a[len('log:'):].strip() for a in sys.argv[1:] if a.startswith('log:')]
        print('\nBochs exited; its log is in ' + (logs[-1] if logs else 'obj/bochs.log'))


if __name__ == '__main__':
    main()
