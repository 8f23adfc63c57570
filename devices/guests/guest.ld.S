/*
 * guest.ld.S: the link of every guest of devices/guests/, through cpp so
 * that the load address is guestabi.h's: code and data at GUEST_LOAD,
 * entry at the symbol start, which each guest puts first.
 */
#include <devices/guests/guestabi.h>

OUTPUT_FORMAT("elf64-x86-64")
ENTRY(start)

SECTIONS
{
	. = GUEST_LOAD;
	.text : { *(.text) *(.rodata*) *(.data) }
	/DISCARD/ : { *(.note*) *(.comment) *(.eh_frame) }
}
