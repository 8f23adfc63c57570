#!/usr/bin/env python3
"""make handout: a copy of the tree for students, under obj/handout/, in
which the body of each marked exercise is replaced by a stub.

A marked body, in a source file:

    {
            /* HANDOUT BEGIN NAME: STUB */
            ...the instructor's code...
            /* HANDOUT END */
    }

becomes "/* Exercise NAME: write this function. */" and the STUB
statement (a return of an error, or guest_fail for an exit handler). A
STUB of "-" removes the region, as for a static helper that only a
stubbed body used (it would be an unused function otherwise).
Every file git tracks is copied; nothing else (no obj/, no logs).
Prints the exercises it stubbed; fails on an unmatched marker.
With --only, only the named exercises are stubbed and every other body
stays written: a handout of a few exercises, or a check that the tests
that fail without one exercise are those that say they need it
(gradelib.test's needs).

Usage: python3 tools/handout.py [--only NAME,NAME...] [DEST]   (default obj/handout)
"""

import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = re.compile(r"^(\s*)/\* HANDOUT BEGIN (\w+): (.*) \*/$")
END = re.compile(r"^\s*/\* HANDOUT END \*/$")


def stub_text(path, text, only=None):
    """TEXT with its marked bodies stubbed (those named in ONLY, if given;
    the others lose just their markers); returns (text, [names stubbed])."""
    out, names, inside, keep = [], [], None, False
    for no, line in enumerate(text.split("\n"), 1):
        m = BEGIN.match(line)
        if m:
            if inside:
                sys.exit("%s:%d: HANDOUT BEGIN inside %s" % (path, no, inside))
            indent, inside, stub = m.groups()
            keep = only is not None and inside not in only
            if keep:
                continue
            names.append(inside)
            out.append("%s/* Exercise %s: write this function. */" % (indent, inside))
            if stub != "-":             # "-": the region goes, nothing replaces it
                out.append(indent + stub)
        elif END.match(line):
            if not inside:
                sys.exit("%s:%d: HANDOUT END without BEGIN" % (path, no))
            inside = None
        elif not inside or keep:
            out.append(line)
    if inside:
        sys.exit("%s: HANDOUT BEGIN %s never ends" % (path, inside))
    return "\n".join(out), names


def parse_args(argv):
    """(DEST, the set of names of --only or None)."""
    only = None
    if argv[:1] == ["--only"] and len(argv) > 1:
        only = set(filter(None, argv[1].split(",")))
        argv = argv[2:]
    if len(argv) > 1 or argv[:1] and argv[0].startswith("-"):
        sys.exit("usage: tools/handout.py [--only NAME,NAME...] [DEST]")
    return os.path.abspath(argv[0] if argv else os.path.join(ROOT, "obj", "handout")), only


def main():
    dest, only = parse_args(sys.argv[1:])
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True,
                           stdout=subprocess.PIPE).stdout.decode().split("\0")
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    stubbed = []
    for f in filter(None, files):
        src, dst = os.path.join(ROOT, f), os.path.join(dest, f)
        if not os.path.isfile(src):
            continue                    # deleted in the work tree
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if f.endswith((".c", ".h", ".S")):
            with open(src) as fh:
                text, names = stub_text(f, fh.read(), only)
            with open(dst, "w") as fh:
                fh.write(text)
            shutil.copymode(src, dst)
            stubbed += ["%s:%s" % (f, n) for n in names]
        else:
            shutil.copy2(src, dst)
    unknown = only - set(s.split(":")[1] for s in stubbed) if only else set()
    if unknown:
        sys.exit("handout: no exercise named %s" % ", ".join(sorted(unknown)))
    for s in stubbed:
        print("handout: stubbed %s" % s)
    print("handout: %d exercises in %s" % (len(stubbed), os.path.relpath(dest, ROOT)))


if __name__ == "__main__":
    main()
