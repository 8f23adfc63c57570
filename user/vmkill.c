// vmkill ID|NAME: end a guest and free all it held. Any host program may
// end any guest, like halt powers off the machine: JOS has no users, and
// the console is its owner's. The guest's vmm then tidies up (its disk).
#include <inc/lib.h>
#include <inc/vmx.h>

void
umain(int argc, char **argv)
{
	struct vm_info info;
	envid_t guest;
	int r;

	if ((guest = guest_arg("vmkill", argc, argv, &info)) < 0)
		return;
	if ((r = sys_guest_kill(guest)) < 0) {
		printf("vmkill: cannot end guest %08x: %e\n", guest, r);
		return;
	}
	while (guest_alive(guest))
		sys_yield();
	printf("vmkill: guest %08x ended\n", guest);
}
