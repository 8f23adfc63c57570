/*
 * Each environment's x87 and SSE registers, guests' included. The kernel
 * never uses them itself (it is built -mgeneral-regs-only), so the
 * registers an environment leaves stay in its CPU until another
 * environment runs there: env_run then saves them in the leaver's area
 * (FXSAVE) and loads the comer's (FXRSTOR). Without this a program or a
 * guest would read, and could change, what the last one left behind.
 *
 * The images live in pages of IMAGES_PER_PAGE, taken at boot before any
 * other page (fpu_init): they come from the bottom of memory, which a
 * guest's hypervisor backs up front anyway (512 KB of BSS instead would
 * push a guest boot's allocations past that memory), and free memory
 * stays the same however many environment slots are ever used.
 *
 * Context: kernel lock held (fpu_init_percpu: a CPU starting up, before it).
 */
#include <inc/assert.h>
#include <inc/string.h>
#include <inc/x86.h>
#include <inc/mmu.h>
#include <inc/error.h>
#include <kern/env.h>
#include <kern/cpu.h>
#include <kern/pmap.h>
#include <kern/fpu.h>

#define FXSAVE_BYTES	512	/* FXSAVE's image of the registers */
#define FXSAVE_FCW	0	/* its x87 control word */
#define FXSAVE_MXCSR	24	/* its SSE control and status */
#define FCW_INIT	0x037F	/* as FNINIT leaves it: x87 exceptions masked */
#define MXCSR_INIT	0x1F80	/* as at reset: SSE exceptions masked */

struct fpu_image {
	uint8_t bytes[FXSAVE_BYTES];
} __attribute__((aligned(16)));

#define IMAGES_PER_PAGE	(PGSIZE / sizeof(struct fpu_image))
static_assert(sizeof(struct fpu_image) == FXSAVE_BYTES);
static_assert(NENV % IMAGES_PER_PAGE == 0);

/* Not in struct Env: envs[] is mapped read-only into every program (UENVS). */
static struct fpu_image *fpu_pages[NENV / IMAGES_PER_PAGE];

/* Whose registers each CPU holds, if anyone's. */
static struct Env *fpu_owner[NCPU];

/* The image of the environment in e's slot. */
static struct fpu_image *
image_of(struct Env *e)
{
	size_t slot = e - envs;

	return &fpu_pages[slot / IMAGES_PER_PAGE][slot % IMAGES_PER_PAGE];
}

/* Let programs use SSE: FXSAVE and FXRSTOR then cover the XMM registers too. */
void
fpu_init_percpu(void)
{
	lcr4(rcr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

/*
 * No CPU holds e's registers any more: e's slot holds a new environment.
 * (A CPU whose owner was freed may save the dead one's registers into
 * its image at its next switch, harmlessly: the slot's next environment
 * starts from fpu_env_init's image, and its own registers are never
 * those.)
 */
static void
fpu_forget(struct Env *e)
{
	int i;

	for (i = 0; i < NCPU; i++)
		if (fpu_owner[i] == e)
			fpu_owner[i] = NULL;
}

/* The pages of images, once at boot (after page_init). */
void
fpu_init(void)
{
	struct PageInfo *pp;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fpu_pages); i++) {
		if (!(pp = page_alloc(0)))
			panic("fpu_init: out of memory");
		pp->pp_ref++;
		fpu_pages[i] = page2kva(pp);
	}
}

/* A new environment in e's slot starts with the registers as after FNINIT, SSE cleared. */
void
fpu_env_init(struct Env *e)
{
	struct fpu_image *img = image_of(e);

	memset(img, 0, sizeof *img);
	*(uint16_t *) &img->bytes[FXSAVE_FCW] = FCW_INIT;
	*(uint32_t *) &img->bytes[FXSAVE_MXCSR] = MXCSR_INIT;
	fpu_forget(e);
}

/* e is about to run on this CPU: its registers in, the last owner's out. */
void
fpu_switch(struct Env *e)
{
	struct Env **owner = &fpu_owner[cpunum()];

	if (*owner == e)
		return;
	if (*owner)
		asm volatile("fxsave64 %0" : "=m" (*image_of(*owner)));
	asm volatile("fxrstor64 %0" : : "m" (*image_of(e)));
	*owner = e;
}

/* This CPU goes idle: its owner may run next on another CPU, so save it now. */
void
fpu_release(void)
{
	struct Env **owner = &fpu_owner[cpunum()];

	if (*owner)
		asm volatile("fxsave64 %0" : "=m" (*image_of(*owner)));
	*owner = NULL;
}
