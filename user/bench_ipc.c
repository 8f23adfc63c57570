// Measure an IPC round trip between two environments with the TSC:
// the parent sends a value, the child sends it back.
#include <inc/lib.h>
#include <inc/x86.h>

#define ROUNDS	2000

void
umain(int argc, char **argv)
{
	uint64_t start, total;
	envid_t child;
	int i;

	if ((child = fork()) == 0) {
		for (i = 0; i < ROUNDS; i++)
			ipc_send(thisenv->env_parent_id, ipc_recv(NULL, NULL, NULL), NULL, 0);
		return;
	}
	start = read_tsc();
	for (i = 0; i < ROUNDS; i++) {
		ipc_send(child, i, NULL, 0);
		if (ipc_recv(NULL, NULL, NULL) != i)
			panic("bench_ipc: wrong value back");
	}
	total = read_tsc() - start;
	cprintf("IPC round trip: %lu TSC ticks (%d rounds)\n", total / ROUNDS, ROUNDS);
}
