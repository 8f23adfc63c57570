// vmls: one line per guest: its id, name, memory, state, VM exits and the
// CPU time it has used (TSC ticks, in millions: in Bochs, instructions).
// An attached guest (its console on the screen) is marked with a *.
#include <inc/lib.h>
#include <inc/vmx.h>

#define MB		(1024 * 1024)
#define MILLION		1000000

static const char *const states[] = {
	[GUEST_RUNNING] = "running",
	[GUEST_BLOCKED] = "blocked",
	[GUEST_IDLE] = "idle",
};

static void
show(const struct vm_info *g)
{
	char id[9];

	snprintf(id, sizeof id, "%08x", g->id);
	printf("%s%-8s %-16s %4lu MB  %-7s %10lu %12lu\n", g->attached ? "*" : " ", id,
	       g->name[0] ? g->name : id, g->mem_bytes / MB,
	       g->state < ARRAY_SIZE(states) ? states[g->state] : "?", g->exits,
	       g->cpu_ticks / MILLION);
}

void
umain(int argc, char **argv)
{
	struct vm_info g;
	int i, n = 0;

	for (i = 0; i < NENV; i++)
		if (envs[i].env_type == ENV_TYPE_GUEST && envs[i].env_status != ENV_FREE &&
		    sys_guest_info(envs[i].env_id, &g) == 0) {
			if (n++ == 0)
				printf(" %-8s %-16s %7s  %-7s %10s %12s\n", "ID", "NAME", "MEMORY",
				       "STATE", "EXITS", "CPU(Mticks)");
			show(&g);
		}
	if (n == 0)
		printf("vmls: no guests\n");
}
