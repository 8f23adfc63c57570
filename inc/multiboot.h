/*
 * The hand-off from a boot loader to the kernel, a subset of Multiboot 0.6.96.
 *
 * On entry to the kernel (_start, 32-bit protected mode, paging off):
 *   eax = MULTIBOOT_BOOTLOADER_MAGIC
 *   ebx = physical address of a struct multiboot_info whose flags include
 *         MULTIBOOT_INFO_MEM_MAP, and whose mmap_addr/mmap_length describe
 *         the BIOS e820 map as a packed array of struct multiboot_mmap_entry.
 * Both the BIOS boot sector (boot/) and the guest boot stub (which gets
 * the map from the hypervisor) produce exactly this; the info block and
 * the map live at BOOTINFO_PADDR in low memory, which the kernel copies
 * before it reuses that page.
 */
#ifndef JOS_INC_MULTIBOOT_H
#define JOS_INC_MULTIBOOT_H

#define MULTIBOOT_BOOTLOADER_MAGIC	0x2BADB002
#define MULTIBOOT_INFO_CMDLINE		0x00000004
#define MULTIBOOT_INFO_MEM_MAP		0x00000040

#define BOOTINFO_PADDR	0x1000			/* struct multiboot_info */
#define BOOTMMAP_PADDR	(BOOTINFO_PADDR + 0x40)	/* the e820 entries */
#define BOOTMMAP_MAX	64			/* entries that fit in that page */
#define E820_ENTRY_SIZE	20			/* what int 15h/e820 returns */

/* e820 region types */
#define E820_RAM	1
#define E820_RESERVED	2
#define E820_ACPI	3
#define E820_NVS	4

#ifndef __ASSEMBLER__
#include <inc/types.h>

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;		/* bytes */
	uint32_t mmap_addr;		/* physical address of the first entry */
};

/* 'size' counts the bytes after itself, so the next entry is at +size+4. */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

#endif /* !__ASSEMBLER__ */
#endif /* !JOS_INC_MULTIBOOT_H */
