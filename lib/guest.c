/*
 * User programs as guests: VMM_GUEST, and IPC with the host's file
 * server through hypercalls. vmcall works from ring 3 too: it always
 * exits to the hypervisor. Pages travel by guest-physical address, read
 * from our own page tables through uvpt.
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

/* The guest-physical address of the page mapped at va, or VMX_IPC_NOPAGE. */
static uint64_t
gpa_of(void *va)
{
	pte_t pte;

	if (va == NULL)
		return VMX_IPC_NOPAGE;
	pte = uvpt[PGNUM(va)];
	if (!(pte & PTE_P))
		panic("gpa_of: %p is not mapped", va);
	return PTE_ADDR(pte);
}

static int64_t
vmcall4(uint64_t num, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
	int64_t ret;

	asm volatile("vmcall" : "=a" (ret) : "a" (num), "d" (a1), "c" (a2), "b" (a3), "D" (a4)
		     : "cc", "memory");
	return ret;
}

/*
 * Send value (and the page at pg, if not NULL) to the host's file
 * server, retrying until it is ready to receive.
 */
void
ipc_host_send(uint32_t value, void *pg, int perm)
{
	uint64_t gpa = gpa_of(pg);
	int64_t r;

	while ((r = vmcall4(VMX_VMCALL_IPCSEND, value, gpa, perm, 0)) == -E_IPC_NOT_RECV)
		sys_yield();
	if (r < 0)
		panic("ipc_host_send: %e", (int) r);
}

/*
 * Wait for the host's reply; a page it sends replaces the page at pg
 * (which must be mapped, so that it has a guest-physical address).
 */
int32_t
ipc_host_recv(void *pg)
{
	return vmcall4(VMX_VMCALL_IPCRECV, gpa_of(pg), 0, 0, 0);
}

/*
 * A request to the host's file server and its reply, in one hypercall:
 * send value (and the page at pg, if any), then wait for the answer,
 * whose page (if any) replaces the page at reply_pg.
 */
int32_t
ipc_host_call(uint32_t value, void *pg, int perm, void *reply_pg)
{
	uint64_t gpa = gpa_of(pg), reply_gpa = gpa_of(reply_pg);
	int64_t r;

	while ((r = vmcall4(VMX_VMCALL_IPCCALL, value, gpa, perm, reply_gpa)) == -E_IPC_NOT_RECV)
		sys_yield();
	return r;
}
