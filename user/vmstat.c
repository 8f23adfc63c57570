// vmstat [-w] [ID|NAME]: the VM exit counters of every running guest (or
// of the one named): per exit reason, how many exits and how many TSC
// ticks (emulated instructions in Bochs) the host spent handling them. -w
// first waits until some guest has run (handy after starting one in the
// background: vmm -b & vmstat -w).
#include <inc/lib.h>
#include <inc/vmx.h>

static void
show(envid_t guest)
{
	static struct VmxExitStats st;
	int i, r;

	if ((r = sys_guest_stats(guest, &st)) < 0) {
		printf("guest %08x: %e\n", guest, r);
		return;
	}
	printf("guest %08x: %lu VM exits\n", guest, st.total_exits);
	for (i = 0; i < VMM_EXIT_SLOTS; i++)
		if (st.count[i])
			printf("  %-22s %10lu exits %14lu ticks\n",
			       vmm_exit_name(st.backend, i), st.count[i], st.ticks[i]);
	if (st.timer_interrupts)
		printf("  and %lu virtual timer interrupts\n", st.timer_interrupts);
	if (st.cow_copies)
		printf("  and %lu shared kernel pages copied on write\n", st.cow_copies);
}

/* Has some guest taken its first exits yet? */
static bool
a_guest_has_run(void)
{
	static struct VmxExitStats st;
	int i;

	for (i = 0; i < NENV; i++)
		if (envs[i].env_type == ENV_TYPE_GUEST && envs[i].env_status != ENV_FREE &&
		    sys_guest_stats(envs[i].env_id, &st) == 0 && st.total_exits > 0)
			return true;
	return false;
}

void
umain(int argc, char **argv)
{
	struct vm_info info;
	envid_t guest;
	int i, n = 0;

	if (argc >= 2 && strcmp(argv[1], "-w") == 0) {
		while (!a_guest_has_run())
			sys_yield();
		argc--, argv++;
	}
	if (argc == 2) {
		if ((guest = guest_lookup(argv[1], &info)) < 0)
			printf("vmstat: no guest %s\n", argv[1]);
		else
			show(guest);
		return;
	}

	for (i = 0; i < NENV; i++)
		if (envs[i].env_type == ENV_TYPE_GUEST && envs[i].env_status != ENV_FREE) {
			show(envs[i].env_id);
			n++;
		}
	if (n == 0)
		printf("vmstat: no guests are running\n");
}
