/*
 * The user library's interface: what every JOS user program includes.
 * The names are the classic JOS ones, so programs written for JOS build
 * unchanged.
 */
#ifndef JOS_INC_LIB_H
#define JOS_INC_LIB_H

#include <inc/types.h>
#include <inc/stdio.h>
#include <inc/stdarg.h>
#include <inc/string.h>
#include <inc/error.h>
#include <inc/assert.h>
#include <inc/env.h>
#include <inc/memlayout.h>
#include <inc/syscall.h>
#include <inc/trap.h>

#define USED(x)		(void)(x)

/* main user program */
void umain(int argc, char **argv);

/* libmain.c or entry.S */
extern const char *binaryname;
extern const volatile struct Env *thisenv;

/*
 * Read-only views the kernel maps in every address space. They are far
 * above where the small code model can address symbols, so they are
 * spelled as constant pointers rather than linker symbols.
 */
#define envs	((const volatile struct Env *) UENVS)
#define pages	((const volatile struct PageInfo *) UPAGES)

/* The self-mapped page tables (see inc/memlayout.h). */
#define uvpt	((const volatile pte_t *) UVPT)
#define uvpd	((const volatile pde_t *) UVPD)
#define uvpdp	((const volatile pdpe_t *) UVPDP)
#define uvpml4	((const volatile pml4e_t *) UVPML4)

/* exit.c */
void exit(void) __attribute__((noreturn));

/* pgfault.c */
void set_pgfault_handler(void (*handler)(struct UTrapframe *utf));

/* syscall.c */
void sys_cputs(const char *string, size_t len);
int sys_cgetc(void);
envid_t sys_getenvid(void);
int sys_env_destroy(envid_t);
int sys_env_set_status(envid_t env, int status);
int sys_env_set_trapframe(envid_t env, struct Trapframe *tf);
int sys_env_set_pgfault_upcall(envid_t env, void *upcall);
void sys_yield(void);
int sys_page_alloc(envid_t env, void *pg, int perm);
int sys_page_map(envid_t src_env, void *src_pg, envid_t dst_env, void *dst_pg, int perm);
int sys_page_unmap(envid_t env, void *pg);
int sys_ipc_try_send(envid_t to_env, uint32_t value, void *pg, int perm);
int sys_ipc_recv(void *rcv_pg);
unsigned int sys_time_msec(void);

/* This must be inlined: the child of sys_exofork returns on a copy of the stack. */
static inline envid_t __attribute__((always_inline))
sys_exofork(void)
{
	envid_t ret;
	asm volatile("int %2" : "=a" (ret) : "a" (SYS_exofork), "i" (T_SYSCALL)
		     : "cc", "memory");
	return ret;
}

/* ipc.c */
void ipc_send(envid_t to_env, uint32_t value, void *pg, int perm);
int32_t ipc_recv(envid_t *from_env_store, void *pg, int *perm_store);
envid_t ipc_find_env(enum EnvType type);

/* fork.c */
#define PTE_SHARE	0x400	/* shared with children, not copied */
#define PTE_COW		0x800	/* copy-on-write */
envid_t fork(void);

#endif /* !JOS_INC_LIB_H */
