/*
 * ide.h: a model of the PC's primary IDE (ATA) controller with two
 * drives, for full virtualization (vmm -F). Portable C, like every model
 * in devices/: the host hands it each drive as a struct ide_disk, whose
 * read/write callbacks move one 512-byte sector of the host's file that
 * holds the drive; the model never sees the host's real disk.
 */
#ifndef DEVICES_IDE_H
#define DEVICES_IDE_H

#include <devices/dev.h>

#define IDE_SECTOR_SIZE	512
#define IDE_DRIVES	2

struct ide_disk {
	void *ctx;			/* the host's, passed back to read/write */
	uint64_t sectors;		/* the drive's size; sectors past it are ERR */
	bool read_only;			/* writes are ERR */
	int (*read)(void *ctx, uint64_t lba, uint8_t *buf);	/* 0, or <0 */
	int (*write)(void *ctx, uint64_t lba, const uint8_t *buf);
};

/* What the model counts, for the end-of-run report and make bench. */
struct ide_stats {
	uint64_t commands, sectors_read, sectors_written, errors;
};

/* disks[i] NULL: drive i is absent. The model keeps the pointers. */
enum dev_status ide_register(struct bus *b, struct ide_disk *disks[IDE_DRIVES]);
const struct ide_stats *ide_stats(void);

#endif /* !DEVICES_IDE_H */
