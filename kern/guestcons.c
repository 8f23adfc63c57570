/*
 * A guest kernel's console: hypercalls to the hypervisor, which owns
 * the real console. Output collects in a buffer that goes out one line
 * at a time (one VM exit per line instead of two per character with an
 * emulated UART); the buffer is also flushed before reading input and
 * before power-off, so a prompt is always visible.
 *
 * Reading: when no other environment of ours can run, the whole virtual
 * machine sleeps in the hypercall until a key comes (an idle guest costs
 * the host nothing); otherwise it only asks, and the others run on.
 */
#include <inc/vmx.h>
#include <inc/memlayout.h>
#include <kern/console.h>
#include <kern/env.h>

#define GUEST_CONS_BUFSIZE	256

static char outbuf[GUEST_CONS_BUFSIZE];
static int outlen;

void
guestcons_flush(void)
{
	if (outlen == 0)
		return;
	/* Kernel data lives at KERNBASE + its guest-physical address. */
	hypercall(VMX_VMCALL_CPUTS, (uintptr_t) outbuf - KERNBASE, outlen, 0, 0);
	outlen = 0;
}

void
guestcons_putc(int c)
{
	outbuf[outlen++] = c;
	if (c == '\n' || outlen == GUEST_CONS_BUFSIZE)
		guestcons_flush();
}

/* Can an environment other than the caller run? */
static bool
others_runnable(void)
{
	int i;

	for (i = 0; i < env_slots_used; i++)
		if (envs[i].env_status == ENV_RUNNABLE && &envs[i] != curenv)
			return true;
	return false;
}

/* The next character typed on the host console for us, or 0. */
int
guestcons_getc(void)
{
	guestcons_flush();
	return hypercall(VMX_VMCALL_CGETC, others_runnable() ? CGETC_POLL : 0, 0, 0, 0);
}
