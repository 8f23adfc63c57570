/*
 * The kernel monitor. It runs when there is nothing else to do: after
 * boot, on a kernel panic, and, in a kernel built for debugging user
 * programs, on a breakpoint in one (kern/trap.c: user_breakpoint).
 * Commands are looked up in one table; a command returning a negative
 * value leaves the monitor.
 */
#include <inc/stdio.h>
#include <inc/string.h>
#include <inc/memlayout.h>
#include <inc/x86.h>
#include <kern/console.h>
#include <kern/monitor.h>
#include <kern/kdebug.h>
#include <inc/trap.h>

#define CMDBUF_SIZE	80
#define MAXARGS		16
#define WHITESPACE	"\t\r\n "

struct Command {
	const char *name;
	const char *desc;
	int (*func)(int argc, char **argv, struct Trapframe *tf);
};

static const struct Command commands[] = {
	{ "help", "Display this list of commands", mon_help },
	{ "kerninfo", "Display information about the kernel", mon_kerninfo },
	{ "backtrace", "Display the stack of kernel function calls", mon_backtrace },
	{ "poweroff", "Power off the machine (ends the emulator)", mon_poweroff },
	{ "continue", "Resume the user program that hit a breakpoint", mon_continue },
};

int
mon_help(int argc, char **argv, struct Trapframe *tf)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		cprintf("%s - %s\n", commands[i].name, commands[i].desc);
	return 0;
}

static void
print_symbol(const char *name, const void *va)
{
	uintptr_t v = (uintptr_t) va;

	cprintf("  %-8s %016lx (virt)  %08lx (phys)\n", name, v,
		v >= KERNBASE ? v - KERNBASE : v);
}

int
mon_kerninfo(int argc, char **argv, struct Trapframe *tf)
{
	extern char _start[], relocated[], etext[], edata[], end[];

	cprintf("Special kernel symbols:\n");
	print_symbol("_start", _start);
	print_symbol("relocated", relocated);
	print_symbol("etext", etext);
	print_symbol("edata", edata);
	print_symbol("end", end);
	cprintf("Kernel executable memory footprint: %luKB\n",
		((uintptr_t) end - KERNBASE - (uintptr_t) _start + 1023) / 1024);
	return 0;
}

static void
print_frame(uint64_t rbp, uintptr_t rip, uintptr_t lookup)
{
	struct RipDebuginfo info;

	debuginfo_rip(lookup, &info);
	cprintf("  rbp %016lx  rip %016lx  %s:%d: %s+0x%lx\n", rbp, rip,
		info.rip_file, info.rip_line, info.rip_fn_name, rip - info.rip_fn_addr);
}

/*
 * Walk the chain of saved frame pointers: each frame holds the caller's
 * rbp at 0(rbp) and the return address at 8(rbp). A line shows the frame
 * of one function and where in it execution is (for callers: the return
 * address; its source line is looked up one byte earlier, in the call).
 * entry.S starts the chain with rbp = 0.
 */
int
mon_backtrace(int argc, char **argv, struct Trapframe *tf)
{
	uint64_t rbp = read_rbp(), *frame;
	uintptr_t rip;

	asm volatile("leaq (%%rip), %0" : "=r" (rip));
	cprintf("Stack backtrace:\n");
	print_frame(rbp, rip, rip);
	while (rbp != 0) {
		frame = (uint64_t *) rbp;
		rip = frame[1];
		rbp = frame[0];
		if (rbp == 0)
			break;		/* the return into entry.S has no frame of its own */
		print_frame(rbp, rip, rip - 1);
	}
	return 0;
}

int
mon_poweroff(int argc, char **argv, struct Trapframe *tf)
{
	poweroff();
}

/* Leave the monitor and resume the user environment that trapped into it. */
int
mon_continue(int argc, char **argv, struct Trapframe *tf)
{
	if (!tf || (tf->tf_cs & 3) != 3) {
		cprintf("continue: no user program is stopped here\n");
		return 0;
	}
	return -1;
}

/* Split buf into words and run the command they name. */
static int
runcmd(char *buf, struct Trapframe *tf)
{
	char *argv[MAXARGS];
	int argc = 0;
	size_t i;

	for (;;) {
		while (*buf && strchr(WHITESPACE, *buf))
			*buf++ = 0;
		if (*buf == 0)
			break;
		if (argc == MAXARGS - 1) {
			cprintf("Too many arguments (max %d)\n", MAXARGS);
			return 0;
		}
		argv[argc++] = buf;
		while (*buf && !strchr(WHITESPACE, *buf))
			buf++;
	}
	argv[argc] = 0;
	if (argc == 0)
		return 0;
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[0], commands[i].name) == 0)
			return commands[i].func(argc, argv, tf);
	cprintf("Unknown command '%s'\n", argv[0]);
	return 0;
}

void
monitor(struct Trapframe *tf)
{
	char *buf;

	cprintf("Welcome to the JOS kernel monitor!\n");
	cprintf("Type 'help' for a list of commands.\n");
	for (;;) {
		buf = readline("K> ");
		if (buf != NULL && runcmd(buf, tf) < 0)
			break;
	}
}
