"""Patterns for the lines the JOS kernel prints, shared by the grade files.

The kernel's messages about environments ("[00001000] new env 00001001",
"... exiting gracefully", "... free env ...", user faults and traps) are
part of its interface to these tests; they are spelled once, here.
"""

import os
import re
import subprocess

from gradelib import check

HERE = os.path.dirname(os.path.abspath(__file__))

ANY_PANIC = r"(kernel|user) panic"   # "kernel panic on CPU ..." and "user panic in ..."
NO_RUNNABLE = r"^No runnable environments in the system!$"
FIRST = 0x1000           # the id of the first environment
HEX = r"([0-9a-f]+)"


def lit(text):
    """Regex matching TEXT literally."""
    return re.escape(text)


def line(text):
    """Regex matching a whole line that is exactly TEXT."""
    return "^" + re.escape(text).replace("\\ ", " ") + "$"


def new_env(parent, child):
    return line("[%08x] new env %08x" % (parent, child))


def free_env(by, env):
    return line("[%08x] free env %08x" % (by, env))


def exits(env):
    """A normal exit: exit() or returning from umain."""
    return [line("[%08x] exiting gracefully" % env), free_env(env, env)]


def user_trap(env, name, trapno):
    """The line for an exception other than a page fault; group 1 is the ip."""
    return (r"^\[%08x\] user trap %s \(trap %d\) ip %s$"
            % (env, re.escape(name), trapno, HEX))


def error_codes():
    """The error codes of inc/error.h by name: {"E_INVAL": 3, ...}."""
    with open(os.path.join(HERE, "inc", "error.h")) as f:
        body = re.search(r"enum\s*{(.*?)}", f.read(), re.S).group(1)
    codes, n = {}, 0
    for m in re.finditer(r"^\s*(E_\w+)\s*(?:=\s*(\d+))?\s*,", body, re.M):
        n = int(m.group(2)) if m.group(2) else n + 1
        codes[m.group(1)] = n
    return codes


def search(run, regex, what):
    """The match of REGEX in the log; fail if there is none."""
    m = re.search(regex, run.log, re.M)
    if not m:
        check("missing %s" % what, run=run)
    return m


def symbol_range(program, symbol):
    """[start, end) of a function of obj/user/PROGRAM, or None if unknown."""
    try:
        out = subprocess.run(["nm", "-S", os.path.join(HERE, "obj", "user",
                                                        program)],
                             stdin=subprocess.DEVNULL, capture_output=True,
                             universal_newlines=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    for l in out.splitlines():
        parts = l.split()
        if len(parts) == 4 and parts[2] in "tT" and parts[3] == symbol:
            start = int(parts[0], 16)
            return start, start + int(parts[1], 16)
    return None
