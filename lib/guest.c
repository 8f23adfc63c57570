/*
 * User programs as guests: VMM_GUEST, and the guest file server's IPC
 * with the host's file server. The guest kernel makes the hypercalls for
 * it (kern/hostcall.c): it checks the pages and names them by their
 * guest-physical addresses, which no user program may do.
 */
#include <inc/lib.h>
#include <inc/vmx.h>

bool
vmm_guest(void)
{
	static int guest = -1;		/* not asked yet */

	if (guest < 0)
		guest = sys_vmm_guest();	/* the kernel knows; CPUID would exit */
	return guest;
}

/*
 * Send value (and the page at pg, if not NULL) to the host's file
 * server; if it is busy, the whole guest sleeps until it takes the
 * message. Returns 0 or an error.
 */
int
ipc_host_send(uint32_t value, void *pg, int perm)
{
	return sys_host_ipc(VMX_VMCALL_IPCSEND, value, pg, perm, NULL);
}

/*
 * Wait for the host's reply to what we sent; a page it sends replaces
 * the page at pg (which must be mapped, and ours alone).
 */
int32_t
ipc_host_recv(void *pg)
{
	return sys_host_ipc(VMX_VMCALL_IPCRECV, 0, NULL, 0, pg);
}
