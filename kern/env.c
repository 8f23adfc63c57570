/*
 * Environments: creation from an embedded ELF image, their address
 * spaces, destruction, and switching to one.
 *
 * Each environment has its own PML4. Slot 0 (all of user memory) is
 * private; every other slot is copied from kern_pml4, except the
 * self-map slot, which points at the environment's own PML4.
 */
#include <inc/x86.h>
#include <inc/mmu.h>
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <inc/elf.h>
#include <kern/fpu.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/trap.h>
#include <kern/monitor.h>
#include <kern/sched.h>
#include <kern/cpu.h>
#include <kern/spinlock.h>
#include <vmm/vmm.h>

struct Env *envs;
int env_slots_used;		/* 1 + the highest slot ever allocated */
static struct Env *env_free_list;

#define ENVGENSHIFT	12	/* above the largest possible ENVX */

/*
 * The env with id envid. With checkperm, only the caller or its
 * children may be named. envid 0 is the caller.
 */
int
envid2env(envid_t envid, struct Env **env_store, bool checkperm)
{
	struct Env *e;

	*env_store = NULL;
	if (envid == 0) {
		*env_store = curenv;
		return 0;
	}
	e = &envs[ENVX(envid)];
	/* A dying environment is gone already, for every system call. */
	if (e->env_status == ENV_FREE || e->env_status == ENV_DYING || e->env_id != envid)
		return -E_BAD_ENV;
	if (checkperm && e != curenv && e->env_parent_id != curenv->env_id)
		return -E_BAD_ENV;
	*env_store = e;
	return 0;
}

/* All envs free, and the free list in index order so the first id is 0x1000. */
void
env_init(void)
{
	int i;

	for (i = NENV - 1; i >= 0; i--) {
		envs[i].env_status = ENV_FREE;
		envs[i].env_id = 0;
		envs[i].env_link = env_free_list;
		env_free_list = &envs[i];
	}
	fpu_init();
}

/* A fresh address space: the kernel's mappings and the self-map. */
static int
env_setup_vm(struct Env *e)
{
	struct PageInfo *p = page_alloc(ALLOC_ZERO);

	if (!p)
		return -E_NO_MEM;
	p->pp_ref++;
	e->env_pml4 = page2kva(p);
	e->env_cr3 = page2pa(p);
	memcpy(e->env_pml4, kern_pml4, PGSIZE);
	e->env_pml4[PML4X(UVPT)] = e->env_cr3 | PTE_P | PTE_U;
	return 0;
}

static envid_t
next_envid(struct Env *e)
{
	int32_t generation = (e->env_id + (1 << ENVGENSHIFT)) & ~(NENV - 1);

	if (generation <= 0)	/* don't create a negative env id */
		generation = 1 << ENVGENSHIFT;
	return generation | (e - envs);
}

int
env_alloc(struct Env **newenv_store, envid_t parent_id)
{
	struct Env *e = env_free_list;
	int r;

	if (!e)
		return -E_NO_FREE_ENV;
	if ((r = env_setup_vm(e)) < 0)
		return r;
	e->env_id = next_envid(e);
	fpu_env_init(e);
	e->env_parent_id = parent_id;
	e->env_type = ENV_TYPE_USER;
	e->env_status = ENV_RUNNABLE;
	e->env_runs = 0;
	e->env_cpunum = -1;
	memset(&e->env_tf, 0, sizeof(e->env_tf));
	e->env_tf.tf_ss = GD_UD | 3;
	e->env_tf.tf_rsp = USTACKTOP;
	e->env_tf.tf_cs = GD_UT | 3;
	e->env_tf.tf_rflags = FL_IF;	/* user code always runs with interrupts on */
	e->env_pgfault_upcall = NULL;
	e->env_ipc_recving = false;
	e->env_waiting_for = 0;
	e->env_ipc_missed = false;
	e->env_vmxinfo = NULL;

	env_free_list = e->env_link;
	env_slots_used = MAX(env_slots_used, (int) (e - envs) + 1);
	*newenv_store = e;
	cprintf("[%08x] new env %08x\n", curenv ? curenv->env_id : 0, e->env_id);
	return 0;
}

/* Give e zeroed, writable user memory for [va, va+len). */
static void
region_alloc(struct Env *e, uintptr_t va, size_t len)
{
	uintptr_t a, end = ROUNDUP(va + len, PGSIZE);
	struct PageInfo *p;

	for (a = ROUNDDOWN(va, PGSIZE); a < end; a += PGSIZE) {
		if (!(p = page_alloc(ALLOC_ZERO)) || page_insert(e->env_pml4, p, (void *) a,
								   PTE_U | PTE_W) < 0)
			panic("region_alloc: out of memory");
	}
}

/*
 * Load the ELF image of an embedded program. The copy runs in the new
 * address space (its PML4 maps the kernel too), then switches back.
 */
static void
load_icode(struct Env *e, const uint8_t *binary)
{
	const struct Elf *elf = (const struct Elf *) binary;
	const struct Proghdr *ph = (const struct Proghdr *) (binary + elf->e_phoff);
	int i;

	if (elf->e_magic != ELF_MAGIC)
		panic("load_icode: not an ELF image");
	lcr3(e->env_cr3);
	for (i = 0; i < elf->e_phnum; i++, ph++) {
		if (ph->p_type != ELF_PROG_LOAD)
			continue;
		if (ph->p_filesz > ph->p_memsz || ph->p_va + ph->p_memsz > UTOP)
			panic("load_icode: bad program header");
		region_alloc(e, ph->p_va, ph->p_memsz);
		memcpy((void *) ph->p_va, binary + ph->p_offset, ph->p_filesz);
	}
	lcr3(kern_cr3);
	e->env_tf.tf_rip = elf->e_entry;
	region_alloc(e, USTACKTOP - PGSIZE, PGSIZE);
}

void
env_create(const uint8_t *binary, enum EnvType type)
{
	struct Env *e;
	int r;

	if ((r = env_alloc(&e, 0)) < 0)
		panic("env_create: %e", r);
	load_icode(e, binary);
	e->env_type = type;
	/* The file server drives the disk itself: it may use in and out. */
	if (type == ENV_TYPE_FS)
		e->env_tf.tf_rflags |= FL_IOPL_3;
}

/* A guest does not outlive the environment that made it (its vmm). */
static void
destroy_guests_of(struct Env *parent)
{
	int i;

	for (i = 0; i < env_slots_used; i++)
		if (envs[i].env_type == ENV_TYPE_GUEST && envs[i].env_status != ENV_FREE &&
		    envs[i].env_status != ENV_DYING && envs[i].env_parent_id == parent->env_id)
			env_destroy(&envs[i]);
}

/* Environments asleep in sys_env_wait for id, which is gone now, run again. */
static void
wake_waiters(envid_t id)
{
	int i;

	for (i = 0; i < env_slots_used; i++)
		if (envs[i].env_waiting_for == id) {
			envs[i].env_waiting_for = 0;
			if (envs[i].env_status == ENV_NOT_RUNNABLE)
				envs[i].env_status = ENV_RUNNABLE;
		}
}

void
env_free(struct Env *e)
{
	if (e->env_cr3 == rcr3())
		lcr3(kern_cr3);
	destroy_guests_of(e);
	cprintf("[%08x] free env %08x\n", curenv ? curenv->env_id : 0, e->env_id);
	if (e->env_type == ENV_TYPE_GUEST) {
		vmm_guest_free(e);
	} else {
		pml4e_free(&e->env_pml4[0]);
		page_decref(pa2page(e->env_cr3));
	}
	e->env_pml4 = NULL;
	e->env_cr3 = 0;
	e->env_status = ENV_FREE;
	e->env_link = env_free_list;
	env_free_list = e;
	wake_waiters(e->env_id);
}

/*
 * Destroy e. If it is running on another CPU it is only marked DYING;
 * that CPU frees it on its next trap. So is a guest whose VMCS another
 * CPU holds: that CPU's scheduler frees it. If it is the current env,
 * this does not return.
 */
void
env_destroy(struct Env *e)
{
	if (e != curenv && (e->env_status == ENV_RUNNING || e->env_status == ENV_DYING ||
			    (e->env_type == ENV_TYPE_GUEST && !vmm_can_run_here(e)))) {
		e->env_status = ENV_DYING;
		e->env_ipc_recving = false;	/* no reply may make it runnable again */
		return;
	}
	env_free(e);
	if (curenv == e) {
		curenv = NULL;
		sched_yield();
	}
}

/* Switch to e: its FPU and SSE registers, its address space, then its registers. */
void
env_run(struct Env *e)
{
	if (e != curenv)
		fpu_switch(e);
	if (curenv && curenv->env_status == ENV_RUNNING)
		curenv->env_status = ENV_RUNNABLE;
	curenv = e;
	e->env_status = ENV_RUNNING;
	e->env_cons_waiting = false;	/* awake, however it woke */
	e->env_runs++;
	e->env_cpunum = cpunum();
	if (e->env_type == ENV_TYPE_GUEST)
		vmm_run(e);
	lcr3(e->env_cr3);
	unlock_kernel();
	env_pop_tf(&e->env_tf);
}

/* The embedded program called name, or NULL. */
const uint8_t *
user_program(const char *name)
{
	const struct UserProgram *p;

	for (p = user_programs; p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p->binary;
	return NULL;
}

/*
 * A new guest for the current environment: start->phys_sz bytes of
 * memory (none mapped yet), starting as start says (checked by the
 * caller). It is NOT_RUNNABLE until its creator has loaded it.
 */
int
env_guest_alloc(struct Env **newenv_store, const struct vcpu_config *start)
{
	struct Env *e;
	int r;

	if ((r = env_alloc(&e, curenv->env_id)) < 0)
		return r;
	/* A guest has an EPT instead of the page table env_alloc made. */
	page_decref(pa2page(e->env_cr3));
	if ((r = vmm_guest_init(e, start)) < 0) {
		e->env_pml4 = NULL;
		e->env_cr3 = 0;
		e->env_status = ENV_FREE;
		e->env_link = env_free_list;
		env_free_list = e;
		cprintf("[%08x] free env %08x\n", curenv->env_id, e->env_id);
		return r;
	}
	e->env_type = ENV_TYPE_GUEST;
	e->env_status = ENV_NOT_RUNNABLE;
	memset(&e->env_tf.tf_regs, 0, sizeof(e->env_tf.tf_regs));
	*newenv_store = e;
	return 0;
}
