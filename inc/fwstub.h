/*
 * The contract between vmm -F (user/vmmraw/full.c) and its guest firmware
 * (boot/fwstub.S): where the firmware runs, and where the VMM leaves the
 * memory map that the firmware's int 0x15 E820 handler hands out.
 *
 * The table at FW_E820_TABLE: a 32-bit count, then that many 20-byte
 * E820 entries (64-bit base, 64-bit length, 32-bit type).
 */
#ifndef JOS_INC_FWSTUB_H
#define JOS_INC_FWSTUB_H

#define FW_LOAD			0x8000	/* CS:IP = 0:FW_LOAD at reset */
#define FW_STACK		0x7000	/* SP at reset (SS = 0) */
#define FW_E820_TABLE		0x9000
#define FW_E820_ENTRY_SIZE	20
#define FW_E820_MAX		8
#define FW_SIZE_MAX		(FW_E820_TABLE - FW_LOAD)
#define FW_BOOT_SECTOR		0x7C00	/* where sector 0 of disk 0 goes */

#define E820_RAM		1
#define E820_RESERVED		2

#endif /* !JOS_INC_FWSTUB_H */
