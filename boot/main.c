/*
 * The second half of the boot sector, in 32-bit protected mode.
 *
 * The disk holds this boot sector in sector 0 and the kernel, an ELF64
 * file, from sector 1 on. bootmain reads the ELF header, copies each
 * loadable segment to its physical address (p_pa), zero-fills the rest of
 * the segment, completes the Multiboot information block and jumps to the
 * kernel's entry point (a physical address). See inc/multiboot.h.
 */
#include <inc/x86.h>
#include <inc/elf.h>
#include <inc/multiboot.h>

#define SECTSIZE	512
#define ELFHDR		((struct Elf *) 0x10000)	/* scratch space */
#define ELFHDR_BYTES	4096

/* IDE primary channel registers and status bits */
#define IDE_DATA	0x1F0
#define IDE_STATUS	0x1F7
#define IDE_BSY		0x80
#define IDE_DRDY	0x40
#define IDE_CMD_READ	0x20

extern uint16_t e820_end;

static void readseg(uint32_t pa, uint32_t count, uint32_t offset);

void
bootmain(void)
{
	struct multiboot_info *mbi = (struct multiboot_info *) BOOTINFO_PADDR;
	struct Proghdr *ph, *eph;
	uint8_t *p;

	readseg((uint32_t) ELFHDR, ELFHDR_BYTES, 0);
	if (ELFHDR->e_magic != ELF_MAGIC)
		return;

	ph = (struct Proghdr *) ((uint8_t *) ELFHDR + ELFHDR->e_phoff);
	for (eph = ph + ELFHDR->e_phnum; ph < eph; ph++) {
		if (ph->p_type != ELF_PROG_LOAD)
			continue;
		readseg(ph->p_pa, ph->p_filesz, ph->p_offset);
		for (p = (uint8_t *) (uint32_t) (ph->p_pa + ph->p_filesz);
		     p < (uint8_t *) (uint32_t) (ph->p_pa + ph->p_memsz); p++)
			*p = 0;
	}

	mbi->flags = MULTIBOOT_INFO_MEM_MAP;
	mbi->mmap_addr = BOOTMMAP_PADDR;
	mbi->mmap_length = e820_end - (BOOTMMAP_PADDR + 4);
	asm volatile("jmp *%2" : : "a" (MULTIBOOT_BOOTLOADER_MAGIC), "b" (mbi),
		     "r" ((uint32_t) ELFHDR->e_entry));
}

static void
waitdisk(void)
{
	while ((inb(IDE_STATUS) & (IDE_BSY | IDE_DRDY)) != IDE_DRDY)
		;
}

/* Read sector 'secno' (LBA28, master drive) into dst. */
static void
readsect(void *dst, uint32_t secno)
{
	waitdisk();
	outb(0x1F2, 1);				/* sector count */
	outb(0x1F3, secno);			/* LBA bits 0..7 */
	outb(0x1F4, secno >> 8);		/* 8..15 */
	outb(0x1F5, secno >> 16);		/* 16..23 */
	outb(0x1F6, (secno >> 24) | 0xE0);	/* 24..27, LBA mode, master */
	outb(IDE_STATUS, IDE_CMD_READ);
	waitdisk();
	insl(IDE_DATA, dst, SECTSIZE / 4);
}

/*
 * Read 'count' bytes at 'offset' in the kernel file to physical address
 * 'pa'. Whole sectors are read, so a little more may be written.
 */
static void
readseg(uint32_t pa, uint32_t count, uint32_t offset)
{
	uint32_t end_pa = pa + count;
	uint32_t secno = offset / SECTSIZE + 1;	/* the kernel starts at sector 1 */

	pa -= offset % SECTSIZE;
	for (; pa < end_pa; pa += SECTSIZE, secno++)
		readsect((uint8_t *) pa, secno);
}
