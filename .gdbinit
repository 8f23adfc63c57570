# gdb setup for 'make qemu-gdb' (start gdb with: gdb -x .gdbinit).
# QEMU's x86_64 stub always reports 64-bit registers, so use that
# architecture from the start; the breakpoint below stops once entry.S
# has switched to long mode and jumped to the kernel's link address.
set architecture i386:x86-64
target remote localhost:26000
symbol-file obj/kern/kernel
hbreak relocated
echo + Stopped in real mode. 'c' runs to 'relocated' (long mode, KERNBASE).\n
