// vmdump ID|NAME: a guest's VMCS (VT-x) or VMCB (SVM), every field the
// hypervisor's table names, in groups: guest state, host state, controls,
// exit information - the dump the kernel prints when a guest dies. Any
// host program may read any guest's, like vmstat's counters. The VMCS can
// only be read on the CPU that holds it, so vmdump yields until the
// scheduler puts it there (a few tries on a machine with several CPUs).
#include <inc/lib.h>
#include <inc/vmx.h>

#define TRIES	1000

void
umain(int argc, char **argv)
{
	static struct vm_dump dump;
	struct vm_info info;
	envid_t guest;
	int r, i;

	if ((guest = guest_arg("vmdump", argc, argv, &info)) < 0)
		return;
	for (i = 0; (r = sys_guest_dump(guest, &dump)) == -E_BUSY && i < TRIES; i++)
		sys_yield();
	if (r < 0) {
		printf("vmdump: cannot read guest %08x: %e\n", guest, r);
		return;
	}
	printf("guest %08x (%s):\n", guest, info.name[0] ? info.name : "no name");
	vm_dump_print(&dump, "", printf);
}
