/*
 * hostile: a user program that attacks the kernel through its system
 * calls. Each attack must be refused with an error code (never a panic
 * or a hang): a non-canonical rip or rsp for a child, one page mapped
 * until its reference count would wrap, a guest made when no memory is
 * left, and page and IPC calls aimed at a guest. Prints one line per
 * attack: "refused (error)", or "ALLOWED" if the kernel let it through;
 * and waits that must end at once: for itself (refused) and for an id
 * that is no one's.
 */
#include <inc/lib.h>
#include <inc/vmx.h>

#define MANY_MAPS	70000			/* more than a 16-bit count holds */
#define MAP_BASE	0x10000000UL		/* where the copies go */
#define HOG_BASE	0x100000000UL		/* where all free memory goes */
#define GUEST_MEM	(16 * 1024 * 1024)
#define NONCANONICAL	0x8000000000000000UL

static char page[PGSIZE] __attribute__((aligned(PGSIZE)));

static void
report(const char *what, int64_t r)
{
	if (r < 0)
		cprintf("hostile: %s: refused (%e)\n", what, (int) r);
	else
		cprintf("hostile: %s: ALLOWED\n", what);
}

/* A child whose registers the parent sets: rip, then rsp, non-canonical. */
static void
bad_trapframe(void)
{
	struct Trapframe tf;
	envid_t child;

	if ((child = sys_exofork()) == 0)
		exit();		/* the child, if it ever ran */
	tf = envs[ENVX(child)].env_tf;
	tf.tf_rip = NONCANONICAL;
	report("child rip non-canonical", sys_env_set_trapframe(child, &tf));
	tf = envs[ENVX(child)].env_tf;
	tf.tf_rsp = NONCANONICAL;
	report("child rsp non-canonical", sys_env_set_trapframe(child, &tf));
	sys_env_destroy(child);
}

/* Map one page MANY_MAPS times: the count must stop, not wrap to 0. */
static void
many_maps(void)
{
	int64_t r = 0;
	int i, n;

	page[0] = 1;
	for (n = 0; n < MANY_MAPS; n++)
		if ((r = sys_page_map(0, page, 0, (void *) (MAP_BASE + n * PGSIZE),
				      PTE_P | PTE_U | PTE_W)) < 0)
			break;
	cprintf("hostile: mapped one page %d times, references %d\n", n, pageref(page));
	report("map one page 70000 times", r);
	for (i = 0; i < n; i++)
		sys_page_unmap(0, (void *) (MAP_BASE + i * PGSIZE));
	page[0]++;
	cprintf("hostile: after unmapping, references %d, page reads %d\n", pageref(page),
		page[0]);
}

/* Take every free page; return how many. */
static int
hog(void)
{
	int n = 0;

	while (sys_page_alloc(0, (void *) (HOG_BASE + (uint64_t) n * PGSIZE),
			      PTE_P | PTE_U | PTE_W) == 0)
		n++;
	return n;
}

static void
unhog(int n)
{
	while (n-- > 0)
		sys_page_unmap(0, (void *) (HOG_BASE + (uint64_t) n * PGSIZE));
}

/* With no memory left, making a guest or a child fails cleanly. */
static void
out_of_memory(void)
{
	int n = hog();

	cprintf("hostile: took all %d free pages\n", n);
	report("make a guest with no memory left", sys_env_mkguest(GUEST_MEM,
								       GUEST_STUB_GPA));
	report("fork with no memory left", sys_exofork());
	unhog(n);
}

/* A guest's memory is reached only through sys_ept_map; only the file server talks to it (and gives, fills or maps its pages). */
static void
aim_at_guest(void)
{
	struct Trapframe tf;
	envid_t g = sys_env_mkguest(GUEST_MEM, GUEST_STUB_GPA);

	if (g < 0) {
		cprintf("hostile: no guest here (%e): guest attacks skipped\n", g);
		return;
	}
	report("page_alloc in a guest", sys_page_alloc(g, UTEMP, PTE_P | PTE_U | PTE_W));
	report("page_map into a guest", sys_page_map(0, page, g, UTEMP, PTE_P | PTE_U));
	report("page_unmap in a guest", sys_page_unmap(g, 0));
	tf = envs[ENVX(g)].env_tf;
	report("set a guest's trap frame", sys_env_set_trapframe(g, &tf));
	report("IPC to a guest", sys_ipc_try_send(g, 0, page, PTE_P | PTE_U));
	report("write a guest's page as if the file server",
	       sys_guest_page_write(g, GUEST_STUB_GPA, page));
	report("map a guest's pages as if the file server",
	       sys_guest_request_map(g, UTEMP, true));
	report("give a guest a page as if the file server",
	       sys_guest_page_give(g, GUEST_STUB_GPA, page));
	sys_env_destroy(g);
}

/* sys_env_wait must never sleep forever on an id that cannot end. */
static void
bad_waits(void)
{
	report("wait for myself", sys_env_wait(sys_getenvid()));
	report("wait for no one", sys_env_wait(0));
	cprintf("hostile: wait for a stale id returned %d\n",
		sys_env_wait(sys_getenvid() + NENV));
}

void
umain(int argc, char **argv)
{
	bad_waits();
	bad_trapframe();
	many_maps();
	out_of_memory();
	aim_at_guest();
	cprintf("hostile: done\n");
}
