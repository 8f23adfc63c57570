// vmcons ID|NAME: attach to a guest's console: the output it has kept
// (its last 16 KB) first, then what it prints; keys go to it until
// Ctrl-] detaches (the guest runs on) or the guest ends.
#include <inc/lib.h>
#include <inc/vmx.h>

void
umain(int argc, char **argv)
{
	struct vm_info info;
	envid_t guest;
	int r;

	if ((guest = guest_arg("vmcons", argc, argv, &info)) < 0)
		return;
	printf("vmcons: guest %08x; Ctrl-] detaches\n", guest);
	if ((r = guest_console(guest)) < 0)
		printf("vmcons: cannot attach to guest %08x: %e\n", guest, r);
	else if (r > 0)
		printf("vmcons: guest %08x has ended\n", guest);
}
