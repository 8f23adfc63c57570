// vmstat: the VM exit counters of every running guest: per exit reason,
// how many exits and how many TSC ticks (emulated instructions in Bochs)
// the host spent handling them.
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
	for (i = 0; i < VMX_NR_EXIT_REASONS; i++)
		if (st.count[i])
			printf("  %-22s %10lu exits %14lu ticks\n",
			       vmx_exit_name(i), st.count[i], st.ticks[i]);
}

void
umain(int argc, char **argv)
{
	int i, n = 0;

	for (i = 0; i < NENV; i++)
		if (envs[i].env_type == ENV_TYPE_GUEST && envs[i].env_status != ENV_FREE) {
			show(envs[i].env_id);
			n++;
		}
	if (n == 0)
		printf("vmstat: no guests are running\n");
}
