/* System call numbers: int $T_SYSCALL with the number in rax. */
#ifndef JOS_INC_SYSCALL_H
#define JOS_INC_SYSCALL_H

enum {
	SYS_cputs = 0,
	SYS_cgetc,
	SYS_getenvid,
	SYS_env_destroy,
	SYS_page_alloc,
	SYS_page_map,
	SYS_page_unmap,
	SYS_exofork,
	SYS_env_set_status,
	SYS_env_set_trapframe,
	SYS_env_set_pgfault_upcall,
	SYS_yield,
	SYS_ipc_try_send,
	SYS_ipc_recv,
	SYS_time_msec,
	SYS_halt,
	SYS_env_mkguest,
	SYS_ept_map,
	SYS_milestone,
	SYS_guest_stats,
	SYS_vmm_guest,
	SYS_host_ipc,
	SYS_vcpu_create,
	SYS_vcpu_mmio,
	SYS_vcpu_run,
	SYS_guest_info,
	SYS_guest_name,
	SYS_guest_attach,
	SYS_guest_input,
	SYS_guest_kill,
	SYS_guest_tsc,
	SYS_guest_timer,
	SYS_env_wait,
	SYS_guest_dump,
	SYS_host_call,
	SYS_guest_page_write,
	SYS_guest_page_give,
	SYS_guest_request_map,
	SYS_cgetc_wait,
	NSYSCALLS
};

/*
 * sys_halt's argument. Any host program may power the host off (JOS has
 * no users: the machine is its user's, like a power switch), but only by
 * saying so: a program with scrambled registers cannot do it by accident.
 * In a guest it powers off that guest only.
 */
#define HALT_CONFIRM	0x48414C54	/* "HALT" */

#endif /* !JOS_INC_SYSCALL_H */
