#!/usr/bin/env python3
"""make lint: cppcheck and gcc's -fanalyzer over the kernel (kern/, vmm/),
the user library (lib/), the file server (fs/) and user/vmm.c.

Each finding is "TOOL ID FILE:LINE: message". A finding is accepted only
if tools/lint-suppressions has a line "TOOL ID FILE ..." for it, each
with its reason after '#'; everything else fails the target. A
suppression that matches nothing fails too, so the list cannot go stale.

Usage: python3 tools/lint.py   (make lint passes KERN_CFLAGS, USER_CFLAGS)
"""

import concurrent.futures
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUPPRESSIONS = os.path.join("tools", "lint-suppressions")
KERNEL_DIRS = ["kern", "vmm"]
USER_DIRS = ["lib", "fs"]
USER_FILES = ["user/vmm.c"]
HOST_TOOLS = {"fs/fsformat.c"}          # built for Linux, not JOS
TIMEOUT = 600


def sources():
    """(path, kind) for every C file linted; kind is 'kern' or 'user'."""
    out = []
    for kind, dirs in (("kern", KERNEL_DIRS), ("user", USER_DIRS)):
        for d in dirs:
            for f in sorted(os.listdir(os.path.join(ROOT, d))):
                p = d + "/" + f
                if f.endswith(".c") and p not in HOST_TOOLS:
                    out.append((p, kind))
    out += [(p, "user") for p in USER_FILES]
    return out


def cppcheck(files):
    cmd = ["cppcheck", "-q", "--enable=warning,portability", "--std=c11",
           "--inline-suppr", "-I.", "-Iinc", "-D__attribute__(x)=", "-D__GNUC__",
           "-D__x86_64__",
           "--suppress=missingIncludeSystem",
           "--template={file}:{line}: {id}: {message}"] + files
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=TIMEOUT)
    found = []
    for ln in p.stdout.splitlines():
        m = re.match(r"^(\S+?):(\d+): (\w+): (.*)$", ln)
        if m:
            found.append(("cppcheck", m.group(3), m.group(1), int(m.group(2)), m.group(4)))
    return found


def analyze(path, flags):
    cmd = ["gcc"] + flags + ["-fanalyzer", "-c", "-o", "/dev/null", path]
    p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=TIMEOUT)
    found = []
    for ln in p.stdout.splitlines():
        m = re.match(r"^(\S+?):(\d+):\d+: (?:warning|error): (.*?) \[(-W[\w-]+)\]$", ln)
        if m:
            found.append(("analyzer", m.group(4)[2:], m.group(1), int(m.group(2)), m.group(3)))
    if p.returncode != 0 and not found:
        found.append(("analyzer", "compile-error", path, 0, p.stdout.strip()[:300]))
    return found


def analyzer(files, kern_flags, user_flags):
    found = []
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(analyze, p, kern_flags if k == "kern" else user_flags)
                for p, k in files]
        for j in jobs:
            found += j.result()
    return found


def load_suppressions():
    rules = []
    with open(os.path.join(ROOT, SUPPRESSIONS)) as f:
        for no, ln in enumerate(f, 1):
            text = ln.split("#", 1)[0].split()
            if not text:
                continue
            if len(text) != 3 or "#" not in ln or not ln.split("#", 1)[1].strip():
                sys.exit("%s:%d: want 'TOOL ID FILE  # reason'" % (SUPPRESSIONS, no))
            rules.append((no, tuple(text)))
    return rules


def flags_of(var):
    drop = {"-MD", "-MP", "-Werror"}
    return [f for f in os.environ.get(var, "").split() if f not in drop]


def main():
    kern_flags, user_flags = flags_of("KERN_CFLAGS"), flags_of("USER_CFLAGS")
    if not kern_flags or not user_flags:
        sys.exit("lint: run me with make lint (KERN_CFLAGS and USER_CFLAGS unset)")
    files = sources()
    found = cppcheck([p for p, _ in files]) + analyzer(files, kern_flags, user_flags)
    rules = load_suppressions()
    used, bad = set(), []
    for tool, fid, path, line, msg in sorted(set(found), key=lambda x: (x[2], x[3])):
        hit = [no for no, r in rules if r == (tool, fid, path)]
        if hit:
            used.update(hit)
        else:
            bad.append("%s:%d: %s %s: %s" % (path, line, tool, fid, msg))
    stale = ["%s:%d: suppression matches nothing: %s" % (SUPPRESSIONS, no, " ".join(r))
             for no, r in rules if no not in used]
    for ln in bad + stale:
        print(ln)
    print("lint: %d files, %d findings, %d suppressed (%d rules), %d unsuppressed, %d stale rules"
          % (len(files), len(set(found)), len(set(found)) - len(bad), len(rules),
             len(bad), len(stale)))
    sys.exit(1 if bad or stale else 0)


if __name__ == "__main__":
    main()
