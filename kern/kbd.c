/*
 * The PC keyboard behind the 8042 controller. Each key sends a "make"
 * scan code when pressed and the same code | 0x80 when released (scan
 * code set 1); 0xE0 prefixes the extended keys. The driver tracks the
 * modifier keys and maps the rest through the tables below.
 */
#include <inc/x86.h>
#include <inc/types.h>
#include <kern/kbdmap.h>

#define KBSTATP		0x64	/* status port */
#define KBS_DIB		0x01	/* data in buffer */
#define KBS_AUXB	0x20	/* the byte is from the mouse */
#define KBDATAP		0x60	/* data port */

#define SC_RELEASE	0x80
#define SC_EXTENDED	0xE0
#define SC_LSHIFT	0x2A
#define SC_RSHIFT	0x36
#define SC_CTRL		0x1D
#define SC_CAPSLOCK	0x3A

#define NO		0

static const uint8_t normalmap[0x3A] = {
	NO,   0x1B, '1',  '2',  '3',  '4',  '5',  '6',	/* 0x00 */
	'7',  '8',  '9',  '0',  '-',  '=',  '\b', '\t',
	'q',  'w',  'e',  'r',  't',  'y',  'u',  'i',	/* 0x10 */
	'o',  'p',  '[',  ']',  '\n', NO,   'a',  's',
	'd',  'f',  'g',  'h',  'j',  'k',  'l',  ';',	/* 0x20 */
	'\'', '`',  NO,   '\\', 'z',  'x',  'c',  'v',
	'b',  'n',  'm',  ',',  '.',  '/',  NO,   '*',	/* 0x30 */
	NO,   ' ',
};

static const uint8_t shiftmap[0x3A] = {
	NO,   0x1B, '!',  '@',  '#',  '$',  '%',  '^',	/* 0x00 */
	'&',  '*',  '(',  ')',  '_',  '+',  '\b', '\t',
	'Q',  'W',  'E',  'R',  'T',  'Y',  'U',  'I',	/* 0x10 */
	'O',  'P',  '{',  '}',  '\n', NO,   'A',  'S',
	'D',  'F',  'G',  'H',  'J',  'K',  'L',  ':',	/* 0x20 */
	'"',  '~',  NO,   '|',  'Z',  'X',  'C',  'V',
	'B',  'N',  'M',  '<',  '>',  '?',  NO,   '*',	/* 0x30 */
	NO,   ' ',
};

static bool shift, ctrl, capslock, extended;

static bool
is_letter(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Update the modifier state; true if the code was a modifier. */
static bool
track_modifier(uint8_t code, bool released)
{
	switch (code) {
	case SC_LSHIFT:
	case SC_RSHIFT:
		shift = !released;
		return true;
	case SC_CTRL:
		ctrl = !released;
		return true;
	case SC_CAPSLOCK:
		if (!released)
			capslock = !capslock;
		return true;
	}
	return false;
}

int
kbd_proc_data(void)
{
	uint8_t stat = inb(KBSTATP), code, c;
	bool released;

	if (!(stat & KBS_DIB) || (stat & KBS_AUXB))
		return -1;
	code = inb(KBDATAP);
	if (code == SC_EXTENDED) {
		extended = true;
		return 0;
	}
	released = code & SC_RELEASE;
	code &= ~SC_RELEASE;
	if (extended) {
		/* Right Ctrl shares the code of left Ctrl; other extended keys are ignored. */
		extended = false;
		if (code == SC_CTRL)
			ctrl = !released;
		return 0;
	}
	if (track_modifier(code, released) || released || code >= sizeof(normalmap))
		return 0;
	c = shift ? shiftmap[code] : normalmap[code];
	if (capslock && is_letter(c))
		c ^= 'a' - 'A';
	if (ctrl && is_letter(c))
		c &= 0x1F;
	return c;
}

void
kbd_init(void)
{
	/* Discard whatever the BIOS left in the buffer. */
	while (kbd_proc_data() != -1)
		;
}
