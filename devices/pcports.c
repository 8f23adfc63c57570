/*
 * pcports.c: the PC's legacy ports and the local APIC's page, as far as
 * an unmodified JOS kernel and boot sector use them (see pcports.h).
 *
 * Only the boot sector's A20 handshake, COM1 and power-off have behaviour.
 * The 8042 never has a key (JOS reads its console from COM1 here). The
 * PICs, PIT, CMOS and delay ports (0x20-0xFF) read 0 and take any write:
 * the guest gets no interrupts from them, so they need no state. The APIC
 * page reads 0 (so the kernel's wait for "delivery done" ends) and takes
 * any write. Power-off is the guest's last act: the host stops the guest
 * when pcports_powered_off() says so.
 */
#include <devices/pcports.h>

#define LEGACY_BASE		0x20	/* PIC1 .. PIC2's last port */
#define LEGACY_NPORTS		0xE0
#define KBD_DATA		0x60
#define KBD_STATUS		0x64	/* read: status; write: command */
#define KBD_ST_SYSFLAG		0x04	/* passed self-test; no byte waiting */
#define KBD_CMD_WRITE_OUTPUT	0xD1	/* the next data byte is the output port */
#define KBD_OUT_A20		0x02
#define SYSCTL_A		0x92	/* "fast A20": bit 1 */
#define SYSCTL_A20		0x02
#define QEMU_DEBUG_EXIT		0xF4

#define COM1			0x3F8
#define COM_NPORTS		8
#define COM_DATA		0	/* RBR / THR (DLL with DLAB) */
#define COM_IIR			2
#define COM_LCR			3
#define COM_LSR			5
#define COM_LCR_DLAB		0x80
#define COM_IIR_NONE		0x01	/* no interrupt pending */
#define COM_LSR_DATA		0x01
#define COM_LSR_THRE		0x20
#define COM_LSR_TEMT		0x40
#define NO_KEY			(-1)

#define CRTC_BASE		0x3D4	/* index, then data */
#define CRTC_REGS		32

#define PM1A_CNT		0x604
#define PM1A_SLP_EN		0x2000
#define BOCHS_SHUTDOWN		0x8900
#define SHUTDOWN_WORD		"Shutdown"

#define APIC_BASE		0xFEE00000ULL
#define APIC_PAGE		0x1000

static struct {
	const struct pc_console *con;
	bool kbd_output_next, a20, off;
	uint8_t com[COM_NPORTS];
	int key;			/* typed and not read yet, or NO_KEY */
	uint8_t crtc_index, crtc[CRTC_REGS];
	unsigned shutdown_match;	/* bytes of "Shutdown" seen in a row */
} pc;

/* ---------------------------------------------------------------- 0x20-0xFF */

static void
legacy_write(uint16_t port, uint8_t v)
{
	if (port == KBD_STATUS)
		pc.kbd_output_next = v == KBD_CMD_WRITE_OUTPUT;
	else if (port == KBD_DATA && pc.kbd_output_next) {
		pc.a20 = v & KBD_OUT_A20;
		pc.kbd_output_next = false;
	} else if (port == SYSCTL_A)
		pc.a20 = v & SYSCTL_A20;
	else if (port == QEMU_DEBUG_EXIT)
		pc.off = true;
}

static uint8_t
legacy_read(uint16_t port)
{
	if (port == KBD_STATUS)
		return KBD_ST_SYSFLAG;
	if (port == SYSCTL_A)
		return pc.a20 ? SYSCTL_A20 : 0;
	return 0;
}

static enum dev_status
legacy_io(struct dev *d, uint16_t port, bool write, uint8_t *data, unsigned size)
{
	if (write)
		legacy_write(port, data[0]);
	else
		dev_data_put(data, size, legacy_read(port));
	return DEV_OK;
}

/* ---------------------------------------------------------------- COM1 */

static bool
key_waiting(void)
{
	if (pc.key == NO_KEY && pc.con->getc)
		pc.key = pc.con->getc();
	return pc.key != NO_KEY;
}

static uint8_t
com_read(unsigned reg)
{
	uint8_t v;

	/* Keys are fetched only when LSR is read: a guest asks LSR first. */
	if (reg == COM_DATA && !(pc.com[COM_LCR] & COM_LCR_DLAB)) {
		v = pc.key != NO_KEY ? pc.key : 0;
		pc.key = NO_KEY;
		return v;
	}
	if (reg == COM_LSR)
		return COM_LSR_THRE | COM_LSR_TEMT | (key_waiting() ? COM_LSR_DATA : 0);
	if (reg == COM_IIR)
		return COM_IIR_NONE;
	return pc.com[reg];
}

static enum dev_status
com_io(struct dev *d, uint16_t port, bool write, uint8_t *data, unsigned size)
{
	unsigned reg = port - COM1;

	if (size != 1)
		return DEV_BAD_ACCESS;
	if (!write)
		data[0] = com_read(reg);
	else if (reg == COM_DATA && !(pc.com[COM_LCR] & COM_LCR_DLAB))
		pc.con->putc(data[0]);
	else
		pc.com[reg] = data[0];
	return DEV_OK;
}

/* ---------------------------------------------------------------- CRTC */

static enum dev_status
crtc_io(struct dev *d, uint16_t port, bool write, uint8_t *data, unsigned size)
{
	uint8_t *reg = &pc.crtc[pc.crtc_index % CRTC_REGS];

	if (size != 1)
		return DEV_BAD_ACCESS;
	if (port == CRTC_BASE && write)
		pc.crtc_index = data[0];
	else if (port == CRTC_BASE)
		data[0] = pc.crtc_index;
	else if (write)
		*reg = data[0];
	else
		data[0] = *reg;
	return DEV_OK;
}

/* ---------------------------------------------------------------- power */

static enum dev_status
pm_io(struct dev *d, uint16_t port, bool write, uint8_t *data, unsigned size)
{
	if (write && (dev_data_get(data, size) & PM1A_SLP_EN))
		pc.off = true;
	else if (!write)
		dev_data_put(data, size, 0);
	return DEV_OK;
}

/* Bochs's: the bytes of "Shutdown" in a row. */
static enum dev_status
bochs_io(struct dev *d, uint16_t port, bool write, uint8_t *data, unsigned size)
{
	static const char word[] = SHUTDOWN_WORD;

	if (!write) {
		dev_data_put(data, size, 0);
		return DEV_OK;
	}
	pc.shutdown_match = data[0] == word[pc.shutdown_match] ? pc.shutdown_match + 1
			    : data[0] == word[0];
	if (pc.shutdown_match == sizeof(word) - 1)
		pc.off = true;
	return DEV_OK;
}

/* ---------------------------------------------------------------- APIC */

static enum dev_status
apic_mmio(struct dev *d, uint64_t offset, bool write, uint8_t *data, unsigned size)
{
	if (!write)
		dev_data_put(data, size, 0);
	return DEV_OK;
}

static struct dev devs[] = {
	{ .name = "pc-legacy", .port = LEGACY_BASE, .nports = LEGACY_NPORTS, .io = legacy_io },
	{ .name = "com1", .port = COM1, .nports = COM_NPORTS, .io = com_io },
	{ .name = "crtc", .port = CRTC_BASE, .nports = 2, .io = crtc_io },
	{ .name = "acpi-pm", .port = PM1A_CNT, .nports = 2, .io = pm_io },
	{ .name = "bochs-shutdown", .port = BOCHS_SHUTDOWN, .nports = 1, .io = bochs_io },
	{ .name = "apic", .mmio_base = APIC_BASE, .mmio_len = APIC_PAGE, .mmio = apic_mmio },
};

enum dev_status
pcports_register(struct bus *b, const struct pc_console *con)
{
	enum dev_status s;
	unsigned i;

	pc.con = con;
	pc.key = NO_KEY;
	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++)
		if ((s = bus_add(b, &devs[i])) != DEV_OK)
			return s;
	return DEV_OK;
}

bool
pcports_powered_off(void)
{
	return pc.off;
}

bool
pcports_a20(void)
{
	return pc.a20;
}
