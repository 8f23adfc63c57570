/*
 * Classic style: system calls with their classic types, whose errors
 * come back to the caller instead of stopping the program.
 */
#include <inc/lib.h>
#include "signature.h"

static_assert(HAS_TYPE(sys_cputs, void (const char *, size_t)));
static_assert(HAS_TYPE(sys_cgetc, int (void)));
static_assert(HAS_TYPE(sys_getenvid, envid_t (void)));
static_assert(HAS_TYPE(sys_env_destroy, int (envid_t)));
static_assert(HAS_TYPE(sys_yield, void (void)));
static_assert(HAS_TYPE(sys_exofork, envid_t (void)));
static_assert(HAS_TYPE(sys_env_set_status, int (envid_t, int)));
static_assert(HAS_TYPE(sys_env_set_trapframe, int (envid_t, struct Trapframe *)));
static_assert(HAS_TYPE(sys_env_set_pgfault_upcall, int (envid_t, void *)));
static_assert(HAS_TYPE(sys_page_alloc, int (envid_t, void *, int)));
static_assert(HAS_TYPE(sys_page_map, int (envid_t, void *, envid_t, void *, int)));
static_assert(HAS_TYPE(sys_page_unmap, int (envid_t, void *)));
static_assert(HAS_TYPE(sys_ipc_try_send, int (envid_t, uint32_t, void *, int)));
static_assert(HAS_TYPE(sys_ipc_recv, int (void *)));
static_assert(HAS_TYPE(sys_time_msec, unsigned int (void)));

void
umain(int argc, char **argv)
{
	int r;

	if ((r = sys_page_alloc(0, (void *) UTOP, PTE_P | PTE_U | PTE_W)) < 0)
		cprintf("sys_page_alloc above UTOP: %e\n", r);
	if ((r = sys_env_destroy(-1)) < 0)
		cprintf("sys_env_destroy(-1): %e\n", r);
}
