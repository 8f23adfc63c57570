/* User environments: the kernel's process abstraction. */
#ifndef JOS_INC_ENV_H
#define JOS_INC_ENV_H

#include <inc/types.h>
#include <inc/trap.h>
#include <inc/memlayout.h>

typedef int32_t envid_t;

/*
 * An environment id has three parts:
 *   +1+---------------21-----------------+--------10--------+
 *   |0|          Uniqueifier             |   Environment    |
 *   | |                                  |      Index       |
 *   +------------------------------------+------------------+
 * The index selects envs[]; the uniqueifier changes each time the slot
 * is reused, so a stale id no longer names the new occupant.
 * envid 0 means "the current environment".
 */
#define LOG2NENV	10
#define NENV		(1 << LOG2NENV)
#define ENVX(envid)	((envid) & (NENV - 1))

enum {
	ENV_FREE = 0,
	ENV_DYING,
	ENV_RUNNABLE,
	ENV_RUNNING,
	ENV_NOT_RUNNABLE
};

enum EnvType {
	ENV_TYPE_USER = 0,
	ENV_TYPE_FS,		/* the file server: gets I/O privilege */
	ENV_TYPE_GUEST,		/* a virtual machine (vmm/): runs in VMX non-root mode */
};

struct VmxGuestInfo;

struct Env {
	struct Trapframe env_tf;	/* saved registers */
	struct Env *env_link;		/* next free Env */
	envid_t env_id;
	envid_t env_parent_id;
	enum EnvType env_type;
	unsigned env_status;
	uint32_t env_runs;		/* times this env has run */
	int env_cpunum;			/* the CPU it runs on */

	pml4e_t *env_pml4;		/* kernel virtual address of its PML4 (for a
					   guest: of its EPT PML4) */
	physaddr_t env_cr3;		/* physical address of its PML4 */

	void *env_pgfault_upcall;	/* page fault entry point */

	/* IPC */
	bool env_ipc_recving;		/* blocked in sys_ipc_recv */
	void *env_ipc_dstva;		/* where to map a received page */
	uint32_t env_ipc_value;
	envid_t env_ipc_from;
	int env_ipc_perm;		/* perm of the received page, or 0 */
	bool env_ipc_missed;		/* a host sender found it not receiving */

	envid_t env_waiting_for;	/* asleep in sys_env_wait until it is gone */
	bool env_cons_waiting;		/* asleep in sys_cgetc_wait: a key or a tick wakes it */

	struct VmxGuestInfo *env_vmxinfo;	/* guests only (kernel pointer) */
};

#endif /* !JOS_INC_ENV_H */
