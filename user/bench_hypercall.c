// bench_hypercall: in a guest, the cost of one null hypercall round trip
// (VMX_VMCALL_NULL), averaged over many, in TSC ticks (emulated
// instructions in Bochs, where entering and leaving a VM costs none).
#include <inc/lib.h>
#include <inc/x86.h>
#include <inc/vmx.h>

#define ROUNDS	10000

void
umain(int argc, char **argv)
{
	uint64_t start, total;
	int i;

	if (!VMM_GUEST) {
		cprintf("bench_hypercall: not a guest\n");
		return;
	}
	hypercall_is_vmmcall();		/* asked once, before the clock starts */
	start = read_tsc();
	for (i = 0; i < ROUNDS; i++)
		hypercall(VMX_VMCALL_NULL, 0, 0, 0, 0);
	total = read_tsc() - start;
	cprintf("null hypercall: %lu TSC ticks per round trip (%d rounds)\n", total / ROUNDS,
		ROUNDS);
}
