/* Classic style (dumbfork, fork): UTEMP and PFTEMP used as the pointers they are. */
#include <inc/lib.h>

static void
duppage(envid_t dstenv, void *addr)
{
	int r;

	if ((r = sys_page_alloc(dstenv, addr, PTE_P | PTE_U | PTE_W)) < 0)
		panic("sys_page_alloc: %e", r);
	if ((r = sys_page_map(dstenv, addr, 0, UTEMP, PTE_P | PTE_U | PTE_W)) < 0)
		panic("sys_page_map: %e", r);
	memmove(UTEMP, addr, PGSIZE);
	if ((r = sys_page_unmap(0, UTEMP)) < 0)
		panic("sys_page_unmap: %e", r);
}

static void
copy_to_pftemp(void *addr)
{
	int r;

	if ((r = sys_page_alloc(0, PFTEMP, PTE_P | PTE_U | PTE_W)) < 0)
		panic("sys_page_alloc: %e", r);
	memmove(PFTEMP, ROUNDDOWN(addr, PGSIZE), PGSIZE);
	if ((r = sys_page_map(0, PFTEMP, 0, ROUNDDOWN(addr, PGSIZE), PTE_P | PTE_U | PTE_W)) < 0)
		panic("sys_page_map: %e", r);
}

void
umain(int argc, char **argv)
{
	copy_to_pftemp(&argc);
	duppage(0, (void *) (UTEMP + PTSIZE));
}
