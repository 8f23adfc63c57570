#!/usr/bin/env python3
"""Check that the tour in docs/ names only things that exist.

Every `dir/file.ext` that a page of docs/*.md names (and the extensionless
grade-lab-*, soak-lab-vmm, GNUmakefile and .ci/run) must be a file of the
tree, and every `dir/file.c:function` (or file.S:label, file.h:name,
file.py:name) must be defined in that file; every relative Markdown link must lead to
a file. Paths under obj/ (build
output) and absolute paths (files inside JOS's own file system, such as
/guest/kernel) are not checked. Prints one line per missing reference,
"docs/PAGE.md:LINE: WHAT", and exits 1 if there is any.

Usage: python3 tools/docscheck.py [ROOT]
"""

import os
import re
import sys

EXTS = r"(?:c|h|S|py|ld|md|rc|json|txt)"
# dir/file.ext[:name]; a name may be followed by "()"
REF = re.compile(r"(?<![\w./-])((?:[\w.+-]+/)+[\w.+-]+\." + EXTS +
                 r"|(?:[\w.+-]+/)+Makefrag|[\w-]+\.py|grade-lab-[a-z]+|soak-lab-vmm"
                 r"|GNUmakefile|\.ci/run)(?::([A-Za-z_]\w*))?(?![\w/])")

# a relative Markdown link: [text](page.md) or [text](../dir/file.c)
LINK = re.compile(r"\]\((?!https?:|#)([^)#\s]*[./][^)#\s]*)(?:#[^)]*)?\)")


def defines(path, name):
    """Does the file at PATH define NAME (function, label, macro, def)?"""
    with open(path, errors="replace") as f:
        text = f.read()
    n = re.escape(name)
    if path.endswith(".S"):
        pats = [r"^\s*" + n + r":", r"^#define\s+" + n + r"\b",
                r"^\s*\.macro\s+" + n + r"\b"]
    elif path.endswith(".py") or path.startswith(("grade-lab-", "soak-lab-")):
        pats = [r"^\s*def\s+" + n + r"\(", r"^\s*class\s+" + n + r"\b", r"^" + n + r"\s*=",
                r"^@(?:gradelib\.)?test\(\"" + n + r"\"\)"]
    else:
        # C: "name(" at the start of a line (JOS style: type on the line
        # before), or "type name(" on one line that is not a declaration;
        # also macros, tables, structs and enums named NAME.
        pats = [r"^" + n + r"\(",
                r"^[A-Za-z_][\w \t\*]*[\s\*]" + n + r"\([^;]*$",
                r"^#define\s+" + n + r"\b",
                r"^(?:static\s+)?(?:const\s+)?(?:struct|enum|union)\s+" + n + r"\s*\{",
                r"^[A-Za-z_][\w \t\*]*[\s\*]" + n + r"\s*(?:\[[^\]]*\])*\s*(?:=|;)",
                r"^\s*" + n + r":"]
    return any(re.search(p, text, re.M) for p in pats)


def check(root):
    """Return (references checked, [problem lines])."""
    docs = os.path.join(root, "docs")
    problems, seen = [], 0
    for page in sorted(os.listdir(docs)):
        if not page.endswith(".md"):
            continue
        with open(os.path.join(docs, page)) as f:
            lines = f.read().split("\n")
        for no, text in enumerate(lines, 1):
            for m in LINK.finditer(text):
                seen += 1
                target = os.path.normpath(os.path.join(docs, m.group(1)))
                if not os.path.isfile(target):
                    problems.append("docs/%s:%d: link to a missing page %s"
                                    % (page, no, m.group(1)))
            for m in REF.finditer(text):
                path, name = m.group(1), m.group(2)
                if path.startswith("obj/"):
                    continue
                seen += 1
                where = "docs/%s:%d" % (page, no)
                full = os.path.join(root, path)
                if not os.path.isfile(full):
                    problems.append("%s: no file %s" % (where, path))
                elif name and not defines(full, name):
                    problems.append("%s: %s does not define %s" % (where, path, name))
    return seen, problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    seen, problems = check(root)
    for p in problems:
        print(p)
    print("docscheck: %d references, %d missing" % (seen, len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
