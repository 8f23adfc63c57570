/*
 * A guest kernel's console: the hypervisor owns the real one. Output
 * goes into a ring in our memory that the hypervisor empties at each of
 * our VM exits (struct cons_ring, inc/vmx.h): printing costs no exit at
 * all, and the host's timer exits at least every tick. Before reading
 * input and before power-off an exit is forced, so a prompt is visible.
 *
 * Reading: when no other environment of ours can run, the whole virtual
 * machine sleeps in the hypercall until a key comes (an idle guest costs
 * the host nothing); otherwise it only asks, and the others run on.
 */
#include <inc/vmx.h>
#include <inc/memlayout.h>
#include <kern/console.h>
#include <kern/env.h>

static struct cons_ring ring __attribute__((aligned(PGSIZE)));
static bool ring_on;

/* Kernel data lives at KERNBASE + its guest-physical address. */
static uint64_t
gpa(const void *p)
{
	return (uintptr_t) p - KERNBASE;
}

/* Every byte written so far is on its way out (an exit empties the ring). */
void
guestcons_flush(void)
{
	if (ring_on && ring.head != ring.tail)
		hypercall(VMX_VMCALL_NULL, 0, 0, 0, 0);
}

/*
 * Our ring may no longer be the one the hypervisor empties (a CONSRING
 * made with another page, as the fuzzer does): give it ours again with
 * the next byte.
 */
void
guestcons_reset(void)
{
	ring_on = false;
}

void
guestcons_putc(int c)
{
	char ch = c;

	if (!ring_on)
		ring_on = hypercall(VMX_VMCALL_CONSRING, gpa(&ring), 0, 0, 0) == 0;
	if (!ring_on) {			/* an older hypervisor: a hypercall per byte */
		hypercall(VMX_VMCALL_CPUTS, gpa(&ch), 1, 0, 0);
		return;
	}
	if (ring.head - ring.tail >= CONS_RING_SIZE)
		hypercall(VMX_VMCALL_NULL, 0, 0, 0, 0);
	ring.buf[ring.head % CONS_RING_SIZE] = c;
	ring.head++;
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
	return hypercall(VMX_VMCALL_CGETC, others_runnable() ? CGETC_POLL : 0, 0, 0, 0);
}
