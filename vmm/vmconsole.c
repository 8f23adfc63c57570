/*
 * The host's half of each guest's console (the guest's half is
 * kern/guestcons.c), and which guest, if any, has the screen.
 *
 * Output: whatever a guest prints (CPUTS hypercall, COM1) goes into its
 * own ring of GCONS_OUT_PAGES pages, so the last 16 KB are always kept,
 * and to the screen only while the guest is attached. Attaching prints
 * the ring first, under the kernel lock, so nothing is lost or shown
 * twice.
 *
 * A guest kernel writes its output into a ring in its own memory (struct
 * cons_ring, inc/vmx.h; CONSRING names it): each exit of the guest, and
 * its end, empty the ring into the console ring above (gcons_drain). The
 * host holds a reference to the ring's page, so whatever the guest later
 * maps there, the host reads a page that is still the guest's.
 *
 * Input: at most one guest is attached, by one host environment (vmm in
 * the foreground, or vmcons). While it is, sys_cgetc returns nothing to
 * every other environment: the host shell never races a guest for a key.
 * The attacher reads the keys and hands each to the kernel
 * (sys_guest_input), which queues it for the guest; Ctrl-] makes the
 * attacher detach instead. A guest that asks for a key (CGETC) when none
 * is queued sleeps (ENV_NOT_RUNNABLE) until one is: an idle guest takes
 * no exits at all.
 *
 * The attachment ends when the attacher detaches, or lazily when either
 * side is found gone (env ids are never reused, so a stale id is safe).
 *
 * Context: kernel lock held; for a guest, on any CPU (nothing here
 * touches its VMCS or VMCB: a sleeping guest's registers are in env_tf).
 */
#include <inc/error.h>
#include <inc/string.h>
#include <inc/stdio.h>
#include <kern/env.h>
#include <kern/pmap.h>
#include <kern/console.h>
#include <vmm/vmm.h>

static envid_t attached_guest;	/* 0: the host has the console */
static envid_t attacher;

/* A live environment with this id, or NULL. */
static struct Env *
live_env(envid_t id)
{
	struct Env *e = &envs[ENVX(id)];

	if (id == 0 || e->env_id != id || e->env_status == ENV_FREE ||
	    e->env_status == ENV_DYING)
		return NULL;
	return e;
}

/* The attached guest, or NULL (and then nothing is attached any more). */
static struct Env *
attached(void)
{
	struct Env *g = live_env(attached_guest);

	if (!g || !live_env(attacher))
		attached_guest = attacher = 0;
	return attached_guest ? g : NULL;
}

int
gcons_init(struct Env *e)
{
	struct guest_console *c = &e->env_vmxinfo->cons;
	struct PageInfo *pp;
	int i;

	for (i = 0; i < GCONS_OUT_PAGES; i++) {
		if (!(pp = page_alloc(0)))
			return -E_NO_MEM;
		pp->pp_ref++;
		c->out[i] = page2kva(pp);
	}
	return 0;
}

void
gcons_free(struct Env *e)
{
	struct guest_console *c = &e->env_vmxinfo->cons;
	int i;

	gcons_drain(e);
	if (c->ring) {
		page_decref(pa2page(PADDR(c->ring)));
		c->ring = NULL;
	}
	if (e->env_id == attached_guest)
		attached_guest = attacher = 0;
	for (i = 0; i < GCONS_OUT_PAGES; i++)
		if (c->out[i]) {
			page_decref(pa2page(PADDR(c->out[i])));
			c->out[i] = NULL;
		}
}

bool
gcons_attached(struct Env *e)
{
	return attached() == e;
}

/* Byte number pos of the ring (pos taken modulo its size). */
static char *
ring_byte(struct guest_console *c, uint64_t pos)
{
	pos %= GCONS_OUT_PAGES * PGSIZE;
	return &c->out[pos / PGSIZE][pos % PGSIZE];
}

/* The guest's output: into its ring; on the screen if it is attached. */
void
gcons_write(struct Env *e, const char *s, size_t len)
{
	struct guest_console *c = &e->env_vmxinfo->cons;
	bool shown = gcons_attached(e);
	size_t i;

	for (i = 0; i < len; i++) {
		*ring_byte(c, c->written++) = s[i];
		if (shown && s[i] != '\r')
			cputchar(s[i]);
	}
}

/* CONSRING: the guest's output ring is its page at gpa (a second call moves it). */
int
gcons_set_ring(struct Env *e, uint64_t gpa)
{
	struct guest_console *c = &e->env_vmxinfo->cons;
	struct PageInfo *pp;
	void *hva;
	int r;

	if (PGOFF(gpa) || gpa >= e->env_vmxinfo->phys_sz || guest_page_fill(e, gpa) < 0 ||
	    vmm_backend->npt_lookup(e->env_pml4, gpa, &hva) < 0)
		return -E_INVAL;
	pp = pa2page(PADDR(hva));
	if ((r = page_incref(pp)) < 0)
		return r;
	gcons_drain(e);
	if (c->ring)
		page_decref(pa2page(PADDR(c->ring)));
	c->ring = hva;
	c->ring_tail = c->ring->head;	/* what is there already was never ours */
	return 0;
}

/*
 * What the guest wrote into its ring since the last look, into its
 * console. A head that a guest moved back, or more than a ring ahead,
 * loses only the guest its output: at most one ring is taken.
 */
void
gcons_drain(struct Env *e)
{
	struct guest_console *c = &e->env_vmxinfo->cons;
	uint64_t head, n, off, len;

	if (!c->ring || (head = c->ring->head) == c->ring_tail)
		return;
	n = head - c->ring_tail;
	if (n > CONS_RING_SIZE)
		c->ring_tail = head - (n = CONS_RING_SIZE);
	for (; n > 0; n -= len, c->ring_tail += len) {	/* at most two pieces */
		off = c->ring_tail % CONS_RING_SIZE;
		len = MIN(n, CONS_RING_SIZE - off);
		gcons_write(e, &c->ring->buf[off], len);
	}
	c->ring->tail = c->ring_tail;
}

/* Everything the ring still holds, on the screen. */
static void
replay(struct guest_console *c)
{
	uint64_t kept = MIN(c->written, (uint64_t) GCONS_OUT_PAGES * PGSIZE);
	uint64_t pos;
	char ch;

	for (pos = c->written - kept; pos < c->written; pos++)
		if ((ch = *ring_byte(c, pos)) != '\r')
			cputchar(ch);
}

/* A key typed for the guest, or 0 if none is queued. */
int
gcons_getc(struct Env *e)
{
	struct guest_console *c = &e->env_vmxinfo->cons;

	if (c->in_r == c->in_w)
		return 0;
	return c->in[c->in_r++ % GCONS_IN_SIZE];
}

/* CGETC with nothing queued: the guest sleeps until gcons_input wakes it. */
enum vmexit_action
gcons_wait(struct Env *e)
{
	e->env_vmxinfo->cons.waiting = true;
	e->env_status = ENV_NOT_RUNNABLE;
	return VMEXIT_YIELD;
}

/* May reader take keys from the host console now? Not while someone else is attached. */
bool
gcons_host_may_read(struct Env *reader)
{
	return !attached() || reader->env_id == attacher;
}

/*
 * Give the screen and keyboard to guest e, for attacher. The guest's kept
 * output is shown first. Refused while another environment is attached,
 * and for a guest whose devices are in its VMM (vmm -r).
 */
int
gcons_attach(struct Env *a, struct Env *e)
{
	if (e->env_type != ENV_TYPE_GUEST || runloop_guest(e))
		return -E_INVAL;
	if (attached() && attacher != a->env_id)
		return -E_BUSY;
	replay(&e->env_vmxinfo->cons);
	attached_guest = e->env_id;
	attacher = a->env_id;
	return 0;
}

int
gcons_detach(struct Env *a)
{
	if (!attached() || attacher != a->env_id)
		return -E_PERM;
	attached_guest = attacher = 0;
	return 0;
}

/*
 * A key from the attacher for its guest: queued, or straight into rax of
 * a guest asleep in CGETC, which wakes up. -E_BUSY: the queue is full.
 */
int
gcons_input(struct Env *a, int c)
{
	struct Env *g = attached();
	struct guest_console *gc;

	if (!g || attacher != a->env_id)
		return -E_PERM;
	gc = &g->env_vmxinfo->cons;
	if (gc->waiting) {
		gc->waiting = false;
		g->env_tf.tf_regs.reg_rax = (uint8_t) c;
		g->env_status = ENV_RUNNABLE;
		return 0;
	}
	if (gc->in_w - gc->in_r == GCONS_IN_SIZE)
		return -E_BUSY;
	gc->in[gc->in_w++ % GCONS_IN_SIZE] = c;
	return 0;
}
