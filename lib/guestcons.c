/*
 * The host side of guests' consoles, for vmm, vmcons, vmkill, vmls and
 * vmstat: finding a guest by id or name, and sitting at its console
 * (vmm/vmconsole.c keeps each guest's output and decides who gets keys).
 */
#include <inc/lib.h>
#include <inc/vmx.h>

#define CONSOLE_ENDED	1	/* guest_console: the guest ended */

/* Is guest still there? */
bool
guest_alive(envid_t guest)
{
	const volatile struct Env *e = &envs[ENVX(guest)];

	return e->env_id == guest && e->env_status != ENV_FREE && e->env_status != ENV_DYING;
}

/* Does idname (a hex id, or a name) name the guest info describes? */
static bool
names(const char *idname, const struct vm_info *info)
{
	char id[9];

	snprintf(id, sizeof id, "%08x", info->id);
	return strcmp(idname, id) == 0 || strcmp(idname, info->name) == 0;
}

/* The guest called idname (its id or its name) and its info, or -E_BAD_ENV. */
envid_t
guest_lookup(const char *idname, struct vm_info *info)
{
	int i;

	for (i = 0; i < NENV; i++)
		if (envs[i].env_type == ENV_TYPE_GUEST && envs[i].env_status != ENV_FREE &&
		    sys_guest_info(envs[i].env_id, info) == 0 && names(idname, info))
			return info->id;
	return -E_BAD_ENV;
}

/*
 * The guest a command's one argument (ID|NAME) names, for vmcons and
 * vmkill; a usage line or "no guest" (as prog) and -E_INVAL otherwise.
 */
envid_t
guest_arg(const char *prog, int argc, char **argv, struct vm_info *info)
{
	envid_t guest;

	if (argc != 2) {
		printf("usage: %s ID|NAME\n", prog);
		return -E_INVAL;
	}
	if ((guest = guest_lookup(argv[1], info)) < 0)
		printf("%s: no guest %s\n", prog, argv[1]);
	return guest;
}

/* Hand key c to the attached guest, waiting while its queue is full. */
static int
forward(int c)
{
	int r;

	while ((r = sys_guest_input(c)) == -E_BUSY)
		sys_yield();
	return r;
}

/*
 * Sit at guest's console: its kept output first, then what it prints,
 * and the keys typed go to it, until Ctrl-] (returns 0, the guest runs
 * on) or the guest's end (returns CONSOLE_ENDED). <0: could not attach.
 */
int
guest_console(envid_t guest)
{
	int c, r;

	if ((r = sys_guest_attach(guest)) < 0)
		return r;
	for (;;) {
		if ((c = sys_cgetc_wait()) == CTRL_RBRACKET) {
			sys_guest_attach(0);
			cprintf("\n[detached from guest %08x; it runs on: vmls, vmcons]\n", guest);
			return 0;
		}
		if (c > 0 && forward(c) == 0)
			continue;
		if (!guest_alive(guest))
			return CONSOLE_ENDED;
	}
}
