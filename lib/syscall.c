/*
 * System call stubs: int $T_SYSCALL with the number in rax and up to
 * five arguments in rdx, rcx, rbx, rdi, rsi; the result comes back in rax.
 * Errors (negative results) are returned to the caller, as in classic JOS.
 */
#include <inc/lib.h>

/*
 * System call num with any arguments at all, unchecked: the stubs below
 * use it, and so do programs that attack the kernel (hostile, fuzzsys).
 */
int64_t
syscall_raw(uint64_t num, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	int64_t ret;

	asm volatile("int %1\n"
		     : "=a" (ret)
		     : "i" (T_SYSCALL), "a" (num), "d" (a1), "c" (a2), "b" (a3), "D" (a4), "S" (a5)
		     : "cc", "memory");
	return ret;
}

static int64_t
syscall(int num, bool check, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	int64_t ret = syscall_raw(num, a1, a2, a3, a4, a5);

	/* A checked call returns 0 or an error: anything else is a kernel bug. */
	if (check && ret > 0)
		panic("syscall %d returned %ld (0 or an error expected)", num, ret);
	return ret;
}

void
sys_cputs(const char *s, size_t len)
{
	syscall(SYS_cputs, 0, (uint64_t) s, len, 0, 0, 0);
}

int
sys_cgetc(void)
{
	return syscall(SYS_cgetc, 0, 0, 0, 0, 0, 0);
}

int
sys_env_destroy(envid_t envid)
{
	return syscall(SYS_env_destroy, 1, envid, 0, 0, 0, 0);
}

envid_t
sys_getenvid(void)
{
	return syscall(SYS_getenvid, 0, 0, 0, 0, 0, 0);
}

void
sys_yield(void)
{
	syscall(SYS_yield, 0, 0, 0, 0, 0, 0);
}

int
sys_page_alloc(envid_t envid, void *va, int perm)
{
	return syscall(SYS_page_alloc, 1, envid, (uint64_t) va, perm, 0, 0);
}

int
sys_page_map(envid_t srcenv, void *srcva, envid_t dstenv, void *dstva, int perm)
{
	return syscall(SYS_page_map, 1, srcenv, (uint64_t) srcva, dstenv, (uint64_t) dstva, perm);
}

int
sys_page_unmap(envid_t envid, void *va)
{
	return syscall(SYS_page_unmap, 1, envid, (uint64_t) va, 0, 0, 0);
}

int
sys_env_set_status(envid_t envid, int status)
{
	return syscall(SYS_env_set_status, 1, envid, status, 0, 0, 0);
}

int
sys_env_set_trapframe(envid_t envid, struct Trapframe *tf)
{
	return syscall(SYS_env_set_trapframe, 1, envid, (uint64_t) tf, 0, 0, 0);
}

int
sys_env_set_pgfault_upcall(envid_t envid, void *upcall)
{
	return syscall(SYS_env_set_pgfault_upcall, 1, envid, (uint64_t) upcall, 0, 0, 0);
}

int
sys_ipc_try_send(envid_t envid, uint32_t value, void *srcva, int perm)
{
	return syscall(SYS_ipc_try_send, 0, envid, value, (uint64_t) srcva, perm, 0);
}

int
sys_ipc_recv(void *dstva)
{
	return syscall(SYS_ipc_recv, 1, (uint64_t) dstva, 0, 0, 0, 0);
}

unsigned int
sys_time_msec(void)
{
	return (unsigned int) syscall(SYS_time_msec, 0, 0, 0, 0, 0, 0);
}

/* Power the machine off (the kernel drains the console first). */
int
sys_halt(void)
{
	return syscall(SYS_halt, 0, HALT_CONFIRM, 0, 0, 0, 0);
}

/* A new guest with gphysz bytes of memory, starting in real mode at grip. */
envid_t
sys_env_mkguest(uint64_t gphysz, uint64_t grip)
{
	return syscall(SYS_env_mkguest, 0, gphysz, grip, 0, 0, 0);
}

/* A user-device guest (inc/vcpurun.h) whose run page is the caller's page at run. */
envid_t
sys_vcpu_create(const struct vcpu_config *cfg, struct vcpu_run *run)
{
	return syscall(SYS_vcpu_create, 0, (uint64_t) cfg, (uint64_t) run, 0, 0, 0);
}

/* Make [gpa, gpa + len) device memory of guest: its accesses come to the caller. */
int
sys_vcpu_mmio(envid_t guest, uint64_t gpa, uint64_t len)
{
	return syscall(SYS_vcpu_mmio, 0, guest, gpa, len, 0, 0);
}

/* Run guest until its next exit for the caller, written in its run page. */
int
sys_vcpu_run(envid_t guest, uint32_t flags)
{
	return syscall(SYS_vcpu_run, 0, guest, flags, 0, 0, 0);
}

/* Map srcenv's page at srcva into guest's memory at guest_pa (EPT_* perm). */
int
sys_ept_map(envid_t srcenv, void *srcva, envid_t guest, uint64_t guest_pa, int perm)
{
	return syscall(SYS_ept_map, 0, srcenv, (uint64_t) srcva, guest, guest_pa, perm);
}

/* Mark a moment of a boot, for measurements (kern/time.c). */
int
sys_milestone(const char *name)
{
	return syscall(SYS_milestone, 0, (uint64_t) name, strlen(name), 0, 0, 0);
}

/* The exit counters of a guest. */
int
sys_guest_stats(envid_t guest, struct VmxExitStats *stats)
{
	return syscall(SYS_guest_stats, 0, guest, (uint64_t) stats, 0, 0, 0);
}

/* What the host knows of a guest (vmls). */
int
sys_guest_info(envid_t guest, struct vm_info *info)
{
	return syscall(SYS_guest_info, 0, guest, (uint64_t) info, 0, 0, 0);
}

/* Name one of our guests. */
int
sys_guest_name(envid_t guest, const char *name)
{
	return syscall(SYS_guest_name, 0, guest, (uint64_t) name, strlen(name), 0, 0);
}

/* Put a guest's console on the screen (0: give it back to the host). */
int
sys_guest_attach(envid_t guest)
{
	return syscall(SYS_guest_attach, 0, guest, 0, 0, 0, 0);
}

/* A key for the attached guest. */
int
sys_guest_input(int c)
{
	return syscall(SYS_guest_input, 0, c, 0, 0, 0, 0);
}

/* End any guest. */
int
sys_guest_kill(envid_t guest)
{
	return syscall(SYS_guest_kill, 0, guest, 0, 0, 0, 0);
}

/* Make one of our guests' clocks run scale times faster, before it first runs. */
int
sys_guest_tsc(envid_t guest, uint32_t scale)
{
	return syscall(SYS_guest_tsc, 0, guest, scale, 0, 0, 0);
}

/* Sleep until environment envid is gone. */
int
sys_env_wait(envid_t envid)
{
	return syscall(SYS_env_wait, 0, envid, 0, 0, 0, 0);
}

/* Give one of our guests a timer interrupt every ms milliseconds (0: none). */
int
sys_guest_timer(envid_t guest, unsigned ms)
{
	return syscall(SYS_guest_timer, 0, guest, ms, 0, 0, 0);
}

/* A guest's VMCS or VMCB, field by field (-E_BUSY: try again). */
int
sys_guest_dump(envid_t guest, struct vm_dump *dump)
{
	return syscall(SYS_guest_dump, 0, guest, (uint64_t) dump, 0, 0, 0);
}

/* Is the kernel under us a JOS-VMM guest? (Asking it costs no VM exit.) */
bool
sys_vmm_guest(void)
{
	return syscall(SYS_vmm_guest, 0, 0, 0, 0, 0, 0);
}

/* A guest's file server: an IPC hypercall, made for it by its kernel (kern/hostcall.c). */
int64_t
sys_host_ipc(uint64_t call, uint32_t value, void *pg, int perm, void *reply_pg)
{
	return syscall(SYS_host_ipc, 0, call, value, (uint64_t) pg, perm, (uint64_t) reply_pg);
}

/*
 * A guest's file server: a request about its n pages pgs[i], tagged
 * tags[i], and the reply (kern/hostcall.c). For a disk read the host
 * fills the pages, and a pgs[i] with no page there gets a fresh one.
 */
int64_t
sys_host_call(uint32_t value, const uint64_t *tags, void *const *pgs, size_t n)
{
	return syscall(SYS_host_call, 0, value, (uint64_t) tags, (uint64_t) pgs, n, 0);
}

/* The host's file server, serving guest: copy the page at src to the guest's gpa. */
int
sys_guest_page_write(envid_t guest, uint64_t gpa, const void *src)
{
	return syscall(SYS_guest_page_write, 0, guest, gpa, (uint64_t) src, 0, 0);
}

/* The host's file server, serving guest: its page at pg becomes the guest's at gpa. */
int
sys_guest_page_give(envid_t guest, uint64_t gpa, void *pg)
{
	return syscall(SYS_guest_page_give, 0, guest, gpa, (uint64_t) pg, 0, 0);
}

/*
 * The host's file server, serving guest: map the pages of its request
 * read-only at va, va + PGSIZE, ... in the list's order, and return how
 * many; with map false, unmap them (HOST_PAGES_MAX pages at va, all in
 * one 2 MB page table).
 */
int
sys_guest_request_map(envid_t guest, void *va, bool map)
{
	return syscall(SYS_guest_request_map, 0, guest, (uint64_t) va, map, 0, 0);
}

/* A key, or 0 after sleeping until the next key or timer tick (kern/syscall.c). */
int
sys_cgetc_wait(void)
{
	return syscall(SYS_cgetc_wait, 0, 0, 0, 0, 0, 0);
}
