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
#include <inc/fs.h>
#include <inc/fd.h>
#include <inc/args.h>

#define USED(x)		(void)(x)

/* main user program */
void umain(int argc, char **argv);

/* libmain.c or entry.S */
extern const char *binaryname;
extern const volatile struct Env *thisenv;

/*
 * Read-only views the kernel maps in every address space, as symbols at
 * their fixed addresses (lib/entry.S). They lie far above the low 2 GB,
 * which user code reaches because it is compiled with -mcmodel=medium
 * (lib/Makefrag): arrays of unknown or large size get 64-bit addresses.
 */
extern const volatile struct Env envs[NENV];
extern const volatile struct PageInfo pages[];

/* The self-mapped page tables (see inc/memlayout.h). */
extern volatile pte_t uvpt[];
extern volatile pde_t uvpd[];
extern volatile pdpe_t uvpdp[];
extern volatile pml4e_t uvpml4[];

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
int sys_halt(void);
envid_t sys_env_mkguest(uint64_t gphysz, uint64_t grip);
int sys_ept_map(envid_t srcenv, void *srcva, envid_t guest, uint64_t guest_pa, int perm);
struct vcpu_config;
struct vcpu_run;
envid_t sys_vcpu_create(const struct vcpu_config *cfg, struct vcpu_run *run);
int sys_vcpu_mmio(envid_t guest, uint64_t gpa, uint64_t len);
int sys_vcpu_run(envid_t guest, uint32_t flags);
int sys_milestone(const char *name);
struct VmxExitStats;
int sys_guest_stats(envid_t guest, struct VmxExitStats *stats);
bool sys_vmm_guest(void);
struct vm_info;
int sys_guest_info(envid_t guest, struct vm_info *info);
int sys_guest_name(envid_t guest, const char *name);
int sys_guest_attach(envid_t guest);
int sys_guest_input(int c);
int sys_guest_kill(envid_t guest);
int sys_guest_tsc(envid_t guest, uint32_t scale);
int sys_guest_timer(envid_t guest, unsigned ms);
int sys_env_wait(envid_t envid);
struct vm_dump;
int sys_guest_dump(envid_t guest, struct vm_dump *dump);
int64_t syscall_raw(uint64_t num, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5);
int64_t sys_host_ipc(uint64_t call, uint32_t value, void *pg, int perm, void *reply_pg);
int64_t sys_host_call(uint32_t value, const uint64_t *tags, void *const *pgs, size_t n);
int sys_guest_page_write(envid_t guest, uint64_t gpa, const void *src);
int sys_guest_page_give(envid_t guest, uint64_t gpa, void *pg);
int sys_guest_request_map(envid_t guest, void *va, bool map);
int sys_cgetc_wait(void);

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

/* guestcons.c: the host's guests, by id or name, and their consoles */
envid_t guest_lookup(const char *idname, struct vm_info *info);
envid_t guest_arg(const char *prog, int argc, char **argv, struct vm_info *info);
bool guest_alive(envid_t guest);
int guest_console(envid_t guest);

/* guest.c: a guest's IPC with the host's file server (inc/vmx.h) */
int ipc_host_send(uint32_t value, void *pg, int perm);
int32_t ipc_host_recv(void *pg);

/* fork.c */
#define PTE_SHARE	0x400	/* shared with children, not copied */
#define PTE_COW		0x800	/* copy-on-write */
envid_t fork(void);
envid_t sfork(void);

/* fd.c */
int close(int fd);
ssize_t read(int fd, void *buf, size_t nbytes);
ssize_t write(int fd, const void *buf, size_t nbytes);
int seek(int fd, off_t offset);
void close_all(void);
ssize_t readn(int fd, void *buf, size_t nbytes);
int dup(int oldfd, int newfd);
int fstat(int fd, struct Stat *statbuf);
int stat(const char *path, struct Stat *statbuf);

/* file.c */
int open(const char *path, int mode);
int ftruncate(int fd, off_t size);
int remove(const char *path);
int sync(void);
int fs_guest_disk(envid_t guest, const char *path, const char *template);

/* pageref.c */
int pageref(void *addr);
bool va_mapped(uintptr_t va);
size_t free_pages(void);

/* spawn.c */
envid_t spawn(const char *program, const char **argv);
envid_t spawnl(const char *program, const char *arg0, ...);
#define MAXARGS_SPAWN	32	/* arguments spawnl accepts */
int read_page(int fd, off_t offset, size_t n);

/* console.c */
int opencons(void);

/* pipe.c */
int pipe(int pipefds[2]);
int pipeisclosed(int pipefd);

/* wait.c */
void wait(envid_t env);

/* malloc.c */
void *malloc(size_t size);
void free(void *ptr);

/* fprintf.c */
int printf(const char *fmt, ...);
int fprintf(int fd, const char *fmt, ...);
int vfprintf(int fd, const char *fmt, va_list ap);

/* File open modes */
#define O_RDONLY	0x0000		/* open for reading only */
#define O_WRONLY	0x0001		/* open for writing only */
#define O_RDWR		0x0002		/* open for reading and writing */
#define O_ACCMODE	0x0003		/* mask for the modes above */

#define O_CREAT		0x0100		/* create if nonexistent */
#define O_TRUNC		0x0200		/* truncate to zero length */
#define O_EXCL		0x0400		/* error if already exists */
#define O_MKDIR		0x0800		/* create a directory, not a regular file */

#endif /* !JOS_INC_LIB_H */
