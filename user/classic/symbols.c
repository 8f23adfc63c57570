/*
 * Classic style: declare envs, pages, uvpt and uvpd ourselves, as the
 * classic headers spell them, and use the names for our own variables.
 */
#include <inc/lib.h>

extern const volatile struct Env envs[NENV];
extern const volatile struct PageInfo pages[];
extern volatile pte_t uvpt[];
extern volatile pde_t uvpd[];

/* References to the page at va, from the kernel's pages[]; 0 if unmapped. */
static int
refs(const void *va)
{
	if (!(uvpd[(uintptr_t) va >> PTSHIFT] & PTE_P) || !(uvpt[PGNUM(va)] & PTE_P))
		return 0;
	return pages[PGNUM(PTE_ADDR(uvpt[PGNUM(va)]))].pp_ref;
}

static int
count_running(const volatile struct Env *envs, int n)
{
	int i, running = 0;

	for (i = 0; i < n; i++)
		running += envs[i].env_status == ENV_RUNNING;
	return running;
}

void
umain(int argc, char **argv)
{
	int pages = refs(&argc);

	cprintf("%d running; our stack page has %d references\n",
		count_running(envs, NENV), pages);
}
