/*
 * ide.c: the primary IDE controller (ports 0x1F0-0x1F7, control 0x3F6)
 * with two drives, as far as a boot sector and JOS's fs/ide.c use it:
 * LBA28 READ SECTORS (0x20) and WRITE SECTORS (0x30), IDENTIFY (0xEC),
 * drive select, and the status bits BSY, DRDY, DRQ and ERR.
 *
 * Commands complete at once, so BSY is never seen: a READ fills the
 * sector buffer and raises DRQ; the guest drains it through the data
 * port (2 or 4 bytes at a time, its REP INS arriving as many calls), and
 * the next sector follows until the count is done. A WRITE raises DRQ,
 * takes 512 bytes, writes them to the drive, and so on. Anything the
 * model does not do - an unknown command, CHS addressing, a sector past
 * the end of the drive, a write to a read-only drive, a host I/O error -
 * sets ERR with ABRT or IDNF in the error register and ends the command;
 * the guest sees a failed disk, never a crashed VMM. No interrupts:
 * JOS polls (nIEN in 0x3F6 is accepted and ignored).
 */
#include <devices/ide.h>

#define IDE_BASE		0x1F0
#define IDE_NPORTS		8
#define IDE_CTL_PORT		0x3F6

/* Register offsets from IDE_BASE. */
#define REG_DATA		0
#define REG_ERROR		1	/* read: error; write: features */
#define REG_NSECT		2
#define REG_LBA0		3
#define REG_LBA1		4
#define REG_LBA2		5
#define REG_DRIVE		6	/* bit 4: drive; bit 6: LBA; bits 0-3: LBA 24-27 */
#define REG_STATUS		7	/* read: status; write: command */

#define ST_ERR			0x01
#define ST_DRQ			0x08
#define ST_DSC			0x10
#define ST_DRDY			0x40
#define ERR_ABRT		0x04
#define ERR_IDNF		0x10
#define DRIVE_SLAVE		0x10
#define DRIVE_LBA		0x40
#define DRIVE_LBA_BITS		0x0F
#define CTL_SRST		0x04

#define CMD_READ		0x20
#define CMD_READ_NORETRY	0x21
#define CMD_WRITE		0x30
#define CMD_WRITE_NORETRY	0x31
#define CMD_IDENTIFY		0xEC
#define CMD_FLUSH		0xE7

#define SECTORS_MAX_COUNT	256	/* a count of 0 means 256 */
#define LBA28_MAX		(1U << 28)
#define IDENT_WORDS		256
#define IDENT_GENERAL		0	/* word 0: a fixed ATA disk */
#define IDENT_ATA_DISK		0x0040
#define IDENT_MODEL		27	/* words 27-46: model, byte-swapped pairs */
#define IDENT_MODEL_CHARS	40
#define IDENT_CAPS		49
#define IDENT_CAPS_LBA		0x0200
#define IDENT_LBA28		60	/* words 60-61: LBA28 sectors */
#define MODEL_NAME		"JOS-VMM IDE DISK"

enum phase {
	PHASE_IDLE,
	PHASE_READ,		/* DRQ: the guest reads the buffer */
	PHASE_WRITE,		/* DRQ: the guest fills the buffer */
};

static struct ide {
	struct ide_disk *disks[IDE_DRIVES];
	uint8_t regs[IDE_NPORTS];	/* the taskfile as last written */
	uint8_t status, error;
	enum phase phase;
	uint8_t buf[IDE_SECTOR_SIZE];
	unsigned pos;			/* next byte of buf */
	uint64_t lba;			/* the sector in buf */
	unsigned left;			/* sectors of the command still to move */
	struct ide_stats stats;
	uint8_t last_error, last_drive;	/* the first failure, for the report */
	uint64_t last_lba;
} ide;

static struct ide_disk *
selected(void)
{
	return ide.disks[(ide.regs[REG_DRIVE] & DRIVE_SLAVE) ? 1 : 0];
}

static void
finish_ok(void)
{
	ide.phase = PHASE_IDLE;
	ide.status = ST_DRDY | ST_DSC;
}

static void
fail(uint8_t why)
{
	ide.phase = PHASE_IDLE;
	ide.left = 0;
	ide.error = why;
	ide.status = ST_DRDY | ST_ERR;
	if (!ide.stats.errors++) {
		ide.last_error = why;
		ide.last_lba = ide.lba;
		ide.last_drive = ide.regs[REG_DRIVE];
	}
}

static void
data_phase(enum phase p)
{
	ide.phase = p;
	ide.pos = 0;
	ide.status = ST_DRDY | ST_DSC | ST_DRQ;
}

/* Fill the buffer with sector ide.lba and offer it; ERR if the host cannot. */
static void
read_next(void)
{
	if (selected()->read(selected()->ctx, ide.lba, ide.buf) < 0) {
		fail(ERR_ABRT);
		return;
	}
	ide.stats.sectors_read++;
	data_phase(PHASE_READ);
}

/* The taskfile's LBA28 address and count, checked against the drive. */
static bool
address(const struct ide_disk *d)
{
	ide.left = ide.regs[REG_NSECT] ? ide.regs[REG_NSECT] : SECTORS_MAX_COUNT;
	ide.lba = ide.regs[REG_LBA0] | (ide.regs[REG_LBA1] << 8) | (ide.regs[REG_LBA2] << 16) |
		  ((uint32_t) (ide.regs[REG_DRIVE] & DRIVE_LBA_BITS) << 24);
	if (!(ide.regs[REG_DRIVE] & DRIVE_LBA)) {
		fail(ERR_ABRT);		/* CHS: not modelled */
		return false;
	}
	if (ide.lba >= d->sectors || ide.left > d->sectors - ide.lba) {
		fail(ERR_IDNF);
		return false;
	}
	return true;
}

static void
put_word(uint16_t *w, unsigned i, uint16_t v)
{
	dev_data_put((uint8_t *) &w[i], 2, v);
}

/* IDENTIFY DEVICE: a fixed LBA28 disk of d->sectors sectors. */
static void
identify(const struct ide_disk *d)
{
	uint16_t *w = (uint16_t *) ide.buf;
	uint64_t n = d->sectors < LBA28_MAX ? d->sectors : LBA28_MAX - 1;
	const char *model = MODEL_NAME;
	unsigned i;

	for (i = 0; i < IDENT_WORDS; i++)
		w[i] = 0;
	put_word(w, IDENT_GENERAL, IDENT_ATA_DISK);
	for (i = 0; i < IDENT_MODEL_CHARS; i++) {
		char c = *model ? *model++ : ' ';

		ide.buf[2 * IDENT_MODEL + (i ^ 1)] = c;	/* ATA strings swap each byte pair */
	}
	put_word(w, IDENT_CAPS, IDENT_CAPS_LBA);
	put_word(w, IDENT_LBA28, n & 0xFFFF);
	put_word(w, IDENT_LBA28 + 1, n >> 16);
	data_phase(PHASE_READ);
	ide.left = 1;
	ide.lba = ~0ULL;		/* not a sector: nothing follows */
}

static void
command(uint8_t cmd)
{
	struct ide_disk *d = selected();

	ide.stats.commands++;
	ide.error = 0;
	if (!d)
		return;			/* no drive there: nobody answers */
	if (cmd == CMD_READ || cmd == CMD_READ_NORETRY) {
		if (address(d))
			read_next();
	} else if (cmd == CMD_WRITE || cmd == CMD_WRITE_NORETRY) {
		if (d->read_only)
			fail(ERR_ABRT);
		else if (address(d))
			data_phase(PHASE_WRITE);
	} else if (cmd == CMD_IDENTIFY) {
		identify(d);
	} else if (cmd == CMD_FLUSH) {
		finish_ok();
	} else {
		fail(ERR_ABRT);
	}
}

/* The buffer is done with (read out, or written in): on to the next sector. */
static void
sector_done(void)
{
	struct ide_disk *d = selected();

	if (ide.phase == PHASE_WRITE) {
		if (d->write(d->ctx, ide.lba, ide.buf) < 0) {
			fail(ERR_ABRT);
			return;
		}
		ide.stats.sectors_written++;
	}
	if (--ide.left == 0) {
		finish_ok();
		return;
	}
	ide.lba++;
	if (ide.phase == PHASE_READ)
		read_next();
	else
		data_phase(PHASE_WRITE);
}

/* size bytes through the data port; outside a data phase, reads float high. */
static void
data(bool write, uint8_t *bytes, unsigned size)
{
	unsigned i;

	if (ide.phase == PHASE_IDLE || (ide.phase == PHASE_WRITE) != write) {
		for (i = 0; !write && i < size; i++)
			bytes[i] = 0xFF;
		return;
	}
	for (i = 0; i < size && ide.pos < IDE_SECTOR_SIZE; i++, ide.pos++) {
		if (write)
			ide.buf[ide.pos] = bytes[i];
		else
			bytes[i] = ide.buf[ide.pos];
	}
	if (ide.pos == IDE_SECTOR_SIZE)
		sector_done();
}

static uint8_t
status(void)
{
	return selected() ? ide.status : 0;
}

static enum dev_status
ide_io(struct dev *d, uint16_t port, bool write, uint8_t *bytes, unsigned size)
{
	unsigned reg = port - IDE_BASE;

	if (reg == REG_DATA) {
		data(write, bytes, size);
		return DEV_OK;
	}
	if (size != 1)
		return DEV_BAD_ACCESS;
	if (!write) {
		bytes[0] = reg == REG_STATUS ? status() : reg == REG_ERROR ? ide.error
									: ide.regs[reg];
		return DEV_OK;
	}
	if (reg == REG_STATUS)
		command(bytes[0]);
	else
		ide.regs[reg] = bytes[0];
	return DEV_OK;
}

/* 0x3F6: alternate status (read), device control (write: SRST resets). */
static enum dev_status
ide_ctl_io(struct dev *d, uint16_t port, bool write, uint8_t *bytes, unsigned size)
{
	if (size != 1)
		return DEV_BAD_ACCESS;
	if (!write)
		bytes[0] = status();
	else if (bytes[0] & CTL_SRST)
		finish_ok();
	return DEV_OK;
}

static enum dev_status
ide_finish(struct dev *d)
{
	devhost_printf("ide: %lu commands, %lu sectors read, %lu written, %lu errors\n",
		       (unsigned long) ide.stats.commands, (unsigned long) ide.stats.sectors_read,
		       (unsigned long) ide.stats.sectors_written, (unsigned long) ide.stats.errors);
	if (ide.stats.errors)
		devhost_printf("ide: the first error: %s, drive register 0x%x, LBA 0x%lx\n",
			       ide.last_error == ERR_IDNF ? "no such sector" : "aborted",
			       ide.last_drive, (unsigned long) ide.last_lba);
	return DEV_OK;
}

static struct dev ide_dev = {
	.name = "ide", .port = IDE_BASE, .nports = IDE_NPORTS, .io = ide_io,
	.finish = ide_finish,
};

static struct dev ide_ctl_dev = {
	.name = "ide-ctl", .port = IDE_CTL_PORT, .nports = 1, .io = ide_ctl_io,
};

enum dev_status
ide_register(struct bus *b, struct ide_disk *disks[IDE_DRIVES])
{
	enum dev_status s;
	int i;

	for (i = 0; i < IDE_DRIVES; i++)
		ide.disks[i] = disks[i];
	ide.regs[REG_DRIVE] = DRIVE_LBA;
	finish_ok();
	if ((s = bus_add(b, &ide_dev)) != DEV_OK)
		return s;
	return bus_add(b, &ide_ctl_dev);
}

const struct ide_stats *
ide_stats(void)
{
	return &ide.stats;
}
