/*
 * IPC delivery. A receiver blocked in sys_ipc_recv (or, for a guest, in
 * the VMX_VMCALL_IPCRECV hypercall) gets the value, the sender's id and,
 * if both sides named one, the page: mapped in its page table at the
 * address it gave or, for a guest, in its EPT at the guest-physical
 * address it gave. A user receiver's system call returns 0; a guest's
 * hypercall returns the value itself.
 */
#include <inc/error.h>
#include <inc/vmx.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/ipc.h>
#include <vmm/vmm.h>

/* Did the receiver ask for a page (a user va below UTOP, a gpa inside the guest)? */
static bool
wants_page(struct Env *to)
{
	uintptr_t dst = (uintptr_t) to->env_ipc_dstva;

	if (to->env_type == ENV_TYPE_GUEST)
		return dst < to->env_vmxinfo->phys_sz;
	return dst < UTOP;
}

static int
map_for_receiver(struct Env *to, struct PageInfo *pp, int perm)
{
	if (to->env_type != ENV_TYPE_GUEST)
		return page_insert(to->env_pml4, pp, to->env_ipc_dstva, perm);
	return vmm_map_page(to, pp, (uintptr_t) to->env_ipc_dstva,
			    (perm & PTE_W) ? EPT_RWX : EPT_R | EPT_X);
}

/*
 * Deliver; -E_IPC_NOT_RECV if to is not waiting. pp may be NULL. A guest
 * waits only for the host's file server: nobody else may answer it.
 */
int
ipc_deliver(struct Env *from, struct Env *to, uint32_t value, struct PageInfo *pp, int perm)
{
	int r;

	if (to->env_type == ENV_TYPE_GUEST && from->env_type != ENV_TYPE_FS)
		return -E_PERM;
	/* Blocked, not merely flagged: a running receiver's tables must not change. */
	if (!to->env_ipc_recving || to->env_status != ENV_NOT_RUNNABLE) {
		/* A host sender found it busy: its turn comes before a parked guest's. */
		if (from->env_type != ENV_TYPE_GUEST)
			to->env_ipc_missed = true;
		return -E_IPC_NOT_RECV;
	}
	to->env_ipc_perm = 0;
	if (pp && wants_page(to)) {
		if ((r = map_for_receiver(to, pp, perm)) < 0)
			return r;
		to->env_ipc_perm = perm;
	}
	to->env_ipc_recving = false;
	to->env_ipc_from = from->env_id;
	to->env_ipc_value = value;
	to->env_tf.tf_regs.reg_rax = (to->env_type == ENV_TYPE_GUEST) ? (int32_t) value : 0;
	to->env_status = ENV_RUNNABLE;
	return 0;
}
