#!/usr/bin/env python3
"""Make a disk image whose kernel starts user program NAME at boot.

usage: runimg.py NAME [OBJDIR]   (prints the path of OBJDIR/run/NAME.img)
Copies OBJDIR/kern/kernel.img and writes NAME after the marker of the
kernel's boot_program variable (kern/init.c), the classic JOS run-NAME.
"""
import os
import sys

MARKER = b'@JOS-BOOT-PROGRAM@'
SLOT = 64 - len(MARKER) - 1          # room for the name and its NUL

name = sys.argv[1]
objdir = sys.argv[2] if len(sys.argv) > 2 else 'obj'
if len(name) > SLOT:
    sys.exit(f'runimg: program name longer than {SLOT} bytes')
image = bytearray(open(os.path.join(objdir, 'kern', 'kernel.img'), 'rb').read())
at = image.find(MARKER)
if at < 0 or image.find(MARKER, at + 1) >= 0:
    sys.exit('runimg: boot program marker not found exactly once in the kernel image')
at += len(MARKER)
image[at:at + SLOT + 1] = name.encode().ljust(SLOT + 1, b'\0')
out = os.path.join(objdir, 'run', name + '.img')
os.makedirs(os.path.dirname(out), exist_ok=True)
open(out + '~', 'wb').write(image)
os.replace(out + '~', out)
print(out)
