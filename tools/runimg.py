#!/usr/bin/env python3
"""Make a disk image whose kernel starts the given user programs at boot.

usage: runimg.py [--objdir DIR] [--out PATH] NAME...
Copies DIR/kern/kernel.img (DIR defaults to obj) to DIR/run/NAME1.img
(or PATH) and writes the space-separated names after the marker of the
kernel's boot_program variable (kern/init.c): the classic JOS run-NAME.
"fs" is the file server. No names: the kernel starts nothing and enters
the monitor. Prints the path of the new image.
"""
import argparse
import os
import sys

MARKER = b'@JOS-BOOT-PROGRAM@'
SLOT = 64                               # kern/init.c: BOOT_PROGRAM_SLOT

ap = argparse.ArgumentParser()
ap.add_argument('--objdir', default='obj')
ap.add_argument('--out')
ap.add_argument('names', nargs='*')
args = ap.parse_args()

text = ' '.join(args.names).encode()
if len(text) >= SLOT:
    sys.exit(f'runimg: program list longer than {SLOT - 1} bytes')
image = bytearray(open(os.path.join(args.objdir, 'kern', 'kernel.img'), 'rb').read())
at = image.find(MARKER)
if at < 0 or image.find(MARKER, at + 1) >= 0:
    sys.exit('runimg: boot program marker not found exactly once in the kernel image')
at += len(MARKER)
image[at:at + SLOT] = text.ljust(SLOT, b'\0')
name = args.names[0] if args.names else 'monitor'
out = args.out or os.path.join(args.objdir, 'run', name + '.img')
os.makedirs(os.path.dirname(out) or '.', exist_ok=True)
open(out + '~', 'wb').write(image)
os.replace(out + '~', out)
print(out)
