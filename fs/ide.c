/*
 * A polling PIO driver for the IDE disks on the primary channel. The
 * file server uses disk 1 (the slave, holding fs.img) when it exists.
 * Only the file server has I/O privilege, so only it can run this.
 */
#include "fs.h"
#include <inc/x86.h>

#define IDE_DATA	0x1F0
#define IDE_ERROR	0x1F1
#define IDE_NSECT	0x1F2
#define IDE_LBA0	0x1F3
#define IDE_LBA1	0x1F4
#define IDE_LBA2	0x1F5
#define IDE_DRIVE	0x1F6	/* LBA bits 24..27, drive select, LBA mode */
#define IDE_STATUS	0x1F7	/* in: status; out: command */
#define IDE_BSY		0x80
#define IDE_DRDY	0x40
#define IDE_DF		0x20
#define IDE_ERR		0x01
#define IDE_CMD_READ	0x20
#define IDE_CMD_WRITE	0x30
#define IDE_LBA_MODE	0xE0
#define IDE_PROBE_TRIES	1000
#define IDE_MAX_NSECS	256	/* a sector count of 0 means 256 */

static int diskno = 1;

/* Wait until the drive is not busy; -1 if it reports an error (when asked to check). */
static int
ide_wait_ready(bool check_error)
{
	int r;

	while (((r = inb(IDE_STATUS)) & (IDE_BSY | IDE_DRDY)) != IDE_DRDY)
		;
	if (check_error && (r & (IDE_DF | IDE_ERR)) != 0)
		return -1;
	return 0;
}

/* Is there a disk 1? Select it and see whether it ever looks ready. */
bool
ide_probe_disk1(void)
{
	int r, x;

	ide_wait_ready(0);
	outb(IDE_DRIVE, IDE_LBA_MODE | (1 << 4));
	for (x = 0; x < IDE_PROBE_TRIES && ((r = inb(IDE_STATUS)) & (IDE_BSY | IDE_DF | IDE_ERR)) != 0;
	     x++)
		;
	outb(IDE_DRIVE, IDE_LBA_MODE | (0 << 4));
	cprintf("Device 1 presence: %d\n", x < IDE_PROBE_TRIES);
	return x < IDE_PROBE_TRIES;
}

void
ide_set_disk(int d)
{
	if (d != 0 && d != 1)
		panic("bad disk number");
	diskno = d;
}

static void
ide_start(uint32_t secno, size_t nsectors, int command)
{
	ide_wait_ready(0);
	outb(IDE_NSECT, nsectors);
	outb(IDE_LBA0, secno & 0xFF);
	outb(IDE_LBA1, (secno >> 8) & 0xFF);
	outb(IDE_LBA2, (secno >> 16) & 0xFF);
	outb(IDE_DRIVE, IDE_LBA_MODE | ((diskno & 1) << 4) | ((secno >> 24) & 0x0F));
	outb(IDE_STATUS, command);
}

int
ide_read(uint32_t secno, void *dst, size_t nsecs)
{
	int r;

	assert(nsecs <= IDE_MAX_NSECS);
	ide_start(secno, nsecs, IDE_CMD_READ);
	for (; nsecs > 0; nsecs--, dst = (char *) dst + SECTSIZE) {
		if ((r = ide_wait_ready(1)) < 0)
			return r;
		insl(IDE_DATA, dst, SECTSIZE / 4);
	}
	return 0;
}

int
ide_write(uint32_t secno, const void *src, size_t nsecs)
{
	int r;

	assert(nsecs <= IDE_MAX_NSECS);
	ide_start(secno, nsecs, IDE_CMD_WRITE);
	for (; nsecs > 0; nsecs--, src = (const char *) src + SECTSIZE) {
		if ((r = ide_wait_ready(1)) < 0)
			return r;
		outsl(IDE_DATA, src, SECTSIZE / 4);
	}
	return 0;
}
