/*
 * Console devices. Output goes both to the CGA text screen and to COM1,
 * so the same text appears in a window, in Bochs's terminal display, and
 * on the serial line the test harness reads. Input comes from COM1 and
 * from the PC keyboard; each driver pushes characters into one ring
 * buffer that cons_getc drains. The drivers are polled (and, once traps
 * exist, also called from their IRQ handlers).
 */
#include <inc/x86.h>
#include <inc/memlayout.h>
#include <inc/string.h>
#include <inc/stdio.h>
#include <kern/console.h>
#include <kern/kbdmap.h>
#include <kern/pmap.h>
#include <kern/env.h>
#include <inc/vmx.h>

static void cons_putc(int c);

/***** Serial port (8250/16550 UART) *****/

#define COM1		0x3F8
#define COM_RX		0	/* in:	receive buffer */
#define COM_TX		0	/* out: transmit buffer */
#define COM_DLL		0	/* out: divisor latch low (with DLAB) */
#define COM_DLM		1	/* out: divisor latch high (with DLAB) */
#define COM_IER		1	/* out: interrupt enable */
#define COM_IER_RDI	0x01	/*   enable receive-data interrupts */
#define COM_FCR		2	/* out: FIFO control */
#define COM_IIR		2	/* in:	interrupt identification */
#define COM_LCR		3	/* out: line control */
#define COM_LCR_DLAB	0x80	/*   divisor latch access */
#define COM_LCR_WLEN8	0x03	/*   8 data bits */
#define COM_MCR		4	/* out: modem control */
#define COM_MCR_DTR	0x01
#define COM_MCR_RTS	0x02
#define COM_MCR_OUT2	0x08	/*   gates the UART's interrupt line */
#define COM_LSR		5	/* in:	line status */
#define COM_LSR_DATA	0x01	/*   data available */
#define COM_LSR_THRE	0x20	/*   transmit holding register empty */
#define COM_LSR_TEMT	0x40	/*   transmitter completely empty */
#define COM_BAUD_DIV	1	/* 115200 baud */
#define COM_SPIN	12800	/* bounded waits: never hang on a dead UART */

static bool serial_exists;

static int
serial_proc_data(void)
{
	if (!(inb(COM1 + COM_LSR) & COM_LSR_DATA))
		return -1;
	return inb(COM1 + COM_RX);
}

static void serial_push_input(void);

void
serial_intr(void)
{
	if (serial_exists)
		serial_push_input();
}

static void
serial_putc(int c)
{
	int i;

	for (i = 0; !(inb(COM1 + COM_LSR) & COM_LSR_THRE) && i < COM_SPIN; i++)
		;
	outb(COM1 + COM_TX, c);
}

static void
serial_init(void)
{
	outb(COM1 + COM_FCR, 0);		/* FIFO off, so LSR reflects each byte */
	outb(COM1 + COM_LCR, COM_LCR_DLAB);
	outb(COM1 + COM_DLL, COM_BAUD_DIV & 0xFF);
	outb(COM1 + COM_DLM, COM_BAUD_DIV >> 8);
	outb(COM1 + COM_LCR, COM_LCR_WLEN8);	/* 8N1, DLAB off */
	outb(COM1 + COM_MCR, COM_MCR_DTR | COM_MCR_RTS | COM_MCR_OUT2);
	outb(COM1 + COM_IER, COM_IER_RDI);

	/* A missing UART reads as all ones. */
	serial_exists = (inb(COM1 + COM_LSR) != 0xFF);
	(void) inb(COM1 + COM_IIR);
	(void) inb(COM1 + COM_RX);
}

/* Wait until every byte written so far has left the UART (or the guest buffer). */
void
cons_drain(void)
{
	int i;

	if (VMM_GUEST)
		guestcons_flush();
	for (i = 0; serial_exists && !(inb(COM1 + COM_LSR) & COM_LSR_TEMT) && i < COM_SPIN; i++)
		;
}

/***** CGA text screen *****/

#define CGA_BUF		0xB8000
#define CGA_CRTC	0x3D4	/* CRT controller index port; data is +1 */
#define CGA_CURSOR_HI	14
#define CGA_CURSOR_LO	15
#define CRT_ROWS	25
#define CRT_COLS	80
#define CRT_SIZE	(CRT_ROWS * CRT_COLS)
#define CGA_ATTR	0x0700	/* light grey on black */
#define TAB_WIDTH	4

static uint16_t *crt_buf;
static uint16_t crt_pos;

static void
cga_init(void)
{
	crt_buf = (uint16_t *) KADDR(CGA_BUF);
	outb(CGA_CRTC, CGA_CURSOR_HI);
	crt_pos = inb(CGA_CRTC + 1) << 8;
	outb(CGA_CRTC, CGA_CURSOR_LO);
	crt_pos |= inb(CGA_CRTC + 1);
	if (crt_pos >= CRT_SIZE)
		crt_pos = 0;
}

static void
cga_scroll(void)
{
	int i;

	memmove(crt_buf, crt_buf + CRT_COLS, (CRT_SIZE - CRT_COLS) * sizeof(uint16_t));
	for (i = CRT_SIZE - CRT_COLS; i < CRT_SIZE; i++)
		crt_buf[i] = CGA_ATTR | ' ';
	crt_pos -= CRT_COLS;
}

static void
cga_putc(int c)
{
	switch (c & 0xff) {
	case '\b':
		if (crt_pos > 0)
			crt_buf[--crt_pos] = CGA_ATTR | ' ';
		break;
	case '\n':
		crt_pos += CRT_COLS;
		/* fall through: a newline also returns the carriage */
	case '\r':
		crt_pos -= crt_pos % CRT_COLS;
		break;
	case '\t':
		do
			crt_buf[crt_pos++] = CGA_ATTR | ' ';
		while (crt_pos % TAB_WIDTH);
		break;
	default:
		crt_buf[crt_pos++] = CGA_ATTR | (c & 0xff);
		break;
	}
	if (crt_pos >= CRT_SIZE)
		cga_scroll();

	outb(CGA_CRTC, CGA_CURSOR_HI);
	outb(CGA_CRTC + 1, crt_pos >> 8);
	outb(CGA_CRTC, CGA_CURSOR_LO);
	outb(CGA_CRTC + 1, crt_pos);
}

/***** Input ring buffer *****/

#define CONSBUFSIZE 512

static struct {
	uint8_t buf[CONSBUFSIZE];
	uint32_t rpos;
	uint32_t wpos;
} cons;

/* Feed the characters a driver returns (until -1) into the ring buffer. */
static void
cons_intr(int (*proc)(void))
{
	int c;

	while ((c = proc()) != -1) {
		if (c == 0)
			continue;
		cons.buf[cons.wpos++] = c;
		if (cons.wpos == CONSBUFSIZE)
			cons.wpos = 0;
	}
}

static void
serial_push_input(void)
{
	cons_intr(serial_proc_data);
}

void
kbd_intr(void)
{
	cons_intr(kbd_proc_data);
}

/* The next input character, or 0 if there is none. */
int
cons_getc(void)
{
	int c;

	if (VMM_GUEST)
		return guestcons_getc();
	serial_intr();
	kbd_intr();
	if (cons.rpos == cons.wpos)
		return 0;
	c = cons.buf[cons.rpos++];
	if (cons.rpos == CONSBUFSIZE)
		cons.rpos = 0;
	return c;
}

/***** The interface the rest of the kernel uses *****/

static void
cons_putc(int c)
{
	if (VMM_GUEST) {
		guestcons_putc(c);
		return;
	}
	if (c == '\b') {
		/* Erase on a serial terminal: back, blank, back. */
		serial_putc('\b');
		serial_putc(' ');
		serial_putc('\b');
	} else {
		if (c == '\n')
			serial_putc('\r');
		serial_putc(c);
	}
	if (crt_buf)
		cga_putc(c);
}

/* A guest's console is the hypervisor's (guestcons.c); a PC has all three devices. */
void
cons_init(void)
{
	if (VMM_GUEST)
		return;
	cga_init();
	serial_init();
	kbd_init();
}

void
cputchar(int c)
{
	cons_putc(c);
}

int
getchar(void)
{
	int c;

	while ((c = cons_getc()) == 0)
		;
	return c;
}

int
iscons(int fdnum)
{
	return 1;
}

/*
 * A key may have come, or the timer ticked: wake the environments asleep
 * in sys_cgetc_wait, to look. Kernel lock held (from trap).
 */
void
cons_wake(void)
{
	int i;

	for (i = 0; i < env_slots_used; i++)
		if (envs[i].env_cons_waiting) {
			envs[i].env_cons_waiting = false;
			if (envs[i].env_status == ENV_NOT_RUNNABLE)
				envs[i].env_status = ENV_RUNNABLE;
		}
}
