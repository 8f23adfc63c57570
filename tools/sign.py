#!/usr/bin/env python3
"""Turn the raw boot code into a boot sector: pad to 510 bytes, add 55 AA."""
import sys

SECTOR = 512
code = open(sys.argv[1], 'rb').read()
if len(code) > SECTOR - 2:
    sys.exit(f'boot block too large: {len(code)} bytes (max {SECTOR - 2})')
open(sys.argv[2], 'wb').write(code + bytes(SECTOR - 2 - len(code)) + b'\x55\xaa')
print(f'boot block is {len(code)} bytes (max {SECTOR - 2})')
