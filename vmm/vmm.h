/*
 * The hypervisor's one interface to the rest of the kernel, and the
 * interface between its generic half and its two backends.
 *
 * kern/ sees guests as environments of type ENV_TYPE_GUEST and calls only
 * the vmm_* functions below. At boot, vmm_init picks a backend from CPUID:
 * VT-x with EPT on Intel (vmm/vmx*.c, vmm/ept.c) or SVM with nested
 * paging on AMD (vmm/svm*.c, vmm/npt.c). The generic half (vmm/guest.c,
 * vmm/hypercall.c, vmm/guestio.c) runs a guest's life cycle, its memory,
 * its hypercalls and its ports; the backends enter the guest, decode its
 * exits and hand them to the generic handlers.
 *
 * Context: all of it runs with the kernel lock held, on the CPU that
 * holds the guest's VMCS or VMCB (a guest stays on the CPU that first ran
 * it).
 */
#ifndef JOS_VMM_VMM_H
#define JOS_VMM_VMM_H

#include <inc/types.h>
#include <inc/trap.h>
#include <inc/env.h>
#include <inc/vmx.h>
#include <inc/vcpurun.h>

struct Env;
struct PageInfo;

/*
 * The run loop's state for a user-device guest (vmm/runloop.c): the run
 * page it shares with its VMM, the device ranges, and the access whose
 * result the VMM owes (the kernel's own copy: the run page is untrusted).
 */
struct mmio_range {
	uint64_t gpa, len;
};

enum pending_kind {
	PENDING_NONE,
	PENDING_IN,		/* IN: data -> rax */
	PENDING_LOAD,		/* MMIO load: data -> a register */
	PENDING_CMP,		/* MMIO compare: data and operand -> rflags */
	PENDING_INS,		/* INS: string data -> guest RAM at gpa[] */
};

#define STRING_CHUNKS	2	/* VCPU_IO_STRING_MAX bytes span two pages at most */

struct pending_access {
	uint8_t kind;		/* enum pending_kind */
	uint8_t size;		/* bytes of data taken from the run page */
	uint8_t reg;		/* destination register (SDM numbering) */
	bool high_byte;		/* AH, CH, DH or BH */
	bool zero_extend;	/* MOVZX, or a 32-bit load in 64-bit mode */
	bool mem_first;		/* CMP mem, x (else CMP x, mem) */
	uint64_t operand;	/* CMP's other operand */
	uint64_t gpa[STRING_CHUNKS];	/* INS: where its bytes go (checked RAM) */
	uint32_t len[STRING_CHUNKS];
};

/* A string IN or OUT (INS/OUTS, maybe with REP), as a backend decodes it. */
struct string_io {
	uint16_t port;
	uint8_t size;		/* bytes per element: 1, 2 or 4 */
	bool in, rep;
	uint8_t addr_bits;	/* 16, 32 or 64: the address size (RSI/RDI, RCX) */
	uint64_t seg_base;	/* ES's base for INS, the source segment's for OUTS */
};

struct runloop {
	struct vcpu_run *run;		/* kernel va of the run page; NULL: no run loop */
	uint32_t flags;			/* VCPU_F_* */
	bool runner_waiting;		/* the parent sleeps in sys_vcpu_run */
	bool poll;			/* ... with VCPU_RUN_POLL */
	int nranges;
	struct mmio_range ranges[VCPU_MMIO_RANGES];
	struct pending_access pending;
};

/*
 * A guest's console on the host (vmm/vmconsole.c): everything it printed,
 * its last GCONS_OUT_PAGES pages kept in a ring of pages, and the keys
 * typed for it that it has not read yet.
 */
#define GCONS_OUT_PAGES	4		/* 16 KB of output kept */
#define GCONS_IN_SIZE	64		/* keys typed ahead */

struct guest_console {
	char *out[GCONS_OUT_PAGES];	/* kernel vas of the ring's pages */
	uint64_t written;		/* bytes ever written; the ring holds the last */
	uint8_t in[GCONS_IN_SIZE];
	uint32_t in_r, in_w;		/* read and write counts (ring indices mod size) */
	bool waiting;			/* asleep in CGETC */
	struct cons_ring *ring;		/* kernel va of the guest's output ring, or NULL */
	uint64_t ring_tail;		/* what the host has taken of it */
	char name[GUEST_NAME_MAX];
};

/* What the generic half may read of a vCPU at an exit (vmm_backend->get_state). */
struct vcpu_state {
	struct vcpu_regs regs;
	uint64_t cs_base;
	int code_bits;			/* 16, 32 or 64: the code segment's default */
};

/*
 * A guest's message that the host's file server was not ready for: the
 * guest sleeps until the server's next ipc_recv takes it.
 */
struct parked_send {
	bool parked;
	bool then_wait;			/* IPCCALL: then wait for the reply at reply_gpa */
	uint32_t value;
	int perm;
	uint64_t gpa, reply_gpa;
};

/*
 * What the kernel and the generic half know of a guest (the classic
 * name). The backend keeps its own state (VMCS or VMCB, and what goes
 * with it) behind vcpu, in the same page.
 */
struct VmxGuestInfo {
	uint64_t phys_sz;		/* bytes of guest-physical memory */
	int cpu;			/* the CPU whose VMCS/VMCB it is, or -1 */
	uint64_t *nptrt;		/* kernel va of the nested page table's root */
	bool npt_changed;		/* a present entry changed: flush before entry */
	struct VmxExitStats stats;	/* exit counters (inc/vmx.h) */
	struct guest_console cons;	/* vmm/vmconsole.c */
	uint64_t run_ticks;		/* TSC ticks in the guest itself */
	uint64_t entry_tsc;		/* when it last (re-)entered the guest */
	uint64_t tsc_base;		/* host TSC at its first entry: its TSC's zero */
	uint32_t tsc_scale;		/* its TSC runs this many times faster (1: same) */
	unsigned timer_ms;		/* its virtual timer's period (0: off; vtimer.c) */
	unsigned timer_next;		/* time_msec() when the next tick falls due */
	bool timer_pending;		/* a tick waits to go in */
	bool ipc_waiting;		/* sent to the file server, may wait for its reply */
	uint64_t ipc_sent_gpa;		/* the page it sent (a struct host_pages?), or none */
	struct parked_send parked;	/* a send waiting for the server (hypercall.c) */
	size_t promised;		/* pages it may still take when it first runs */
	struct vcpu_config start;	/* its first state (checked by the caller) */
	struct runloop rl;		/* user-device guests only */
	void *vcpu;			/* the backend's state */
};

#define DR6_INIT	0xFFFF0FF0	/* the debug registers' fixed bits, at reset */
#define DR7_INIT	0x400

/* What the generic handlers tell the backend's run loop to do next. */
enum vmexit_action {
	VMEXIT_RESUME,			/* re-enter the guest at once */
	VMEXIT_YIELD,			/* let the scheduler run something else first */
};

/* A backend: one per vendor, chosen at boot. */
struct vmm_backend {
	const char *name;
	uint32_t kind;					/* VMM_BACKEND_* */
	int (*check)(void);				/* can guests run here? -E_NO_* */
	int (*vcpu_init)(struct Env *e);		/* state for a new guest (info->start) */
	void (*vcpu_free)(struct Env *e);
	void (*run)(struct Env *e) __attribute__((noreturn));
	void (*skip_insn)(struct Env *e);		/* past the exiting instruction */
	int (*cpl)(struct Env *e);			/* the guest's privilege level */
	void (*dump)(struct Env *e);			/* why it stopped, for a dying guest */
	int (*dump_state)(struct Env *e, struct vm_dump *d);	/* its VMCS/VMCB; -E_BUSY:
							   held by another CPU */
	/* At an exit, or before entry with the VMCS/VMCB loaded (run loop): */
	void (*get_state)(struct Env *e, struct vcpu_state *s);
	void (*set_rip)(struct Env *e, uint64_t rip);
	void (*set_rflags)(struct Env *e, uint64_t rflags);
	/* Nested paging: gpa -> host page, perm in EPT_* bits (inc/vmx.h). */
	int (*npt_insert)(uint64_t *root, struct PageInfo *pp, uint64_t gpa, int perm);
	int (*npt_lookup)(uint64_t *root, uint64_t gpa, void **hva);
};

extern const struct vmm_backend *vmm_backend;	/* NULL: no usable extension */
extern const struct vmm_backend vmx_backend, svm_backend;

/* vmm/guest.c: what kern/ calls */
void vmm_init(void);
int vmm_check_support(void);
int vmm_guest_init(struct Env *e, const struct vcpu_config *start);
void vmm_guest_free(struct Env *e);
void vmm_run(struct Env *e) __attribute__((noreturn));
bool vmm_can_run_here(struct Env *e);
int vmm_map_page(struct Env *e, struct PageInfo *pp, uint64_t gpa, int perm);
int ept_map_page(struct Env *src, uintptr_t srcva, struct Env *guest, uint64_t gpa, int perm);
void check_ept_map(void);
uint64_t *guest_table_alloc(void);
void guest_table_free(uint64_t *root);

/* vmm/guest.c: for the backends */
void guest_exit_begin(struct Env *e, unsigned slot);
void guest_exit_end(struct Env *e, unsigned slot, uint64_t start_tsc);
void vmm_print_exit_counts(struct Env *e);
int vmm_guest_dump(struct Env *e, struct vm_dump *d);
void guest_dump_field(struct vm_dump *d, const char *name, uint32_t group, uint32_t size,
		      uint64_t value);
void guest_fail(struct Env *e, const char *why) __attribute__((noreturn));
void guest_end(struct Env *e, const char *why) __attribute__((noreturn));
int guest_page_fill(struct Env *e, uint64_t gpa);
int guest_populate(struct Env *e);
bool guest_page_writable(struct Env *e, uint64_t gpa);
uint64_t *guest_gpr(struct Env *e, int n);
bool guest_rdmsr(struct Env *e, uint32_t msr, uint64_t *v);
int guest_copy_in(struct Env *e, void *dst, uint64_t gpa, size_t len);
int guest_copy_out(struct Env *e, uint64_t gpa, const void *src, size_t len);
enum vmexit_action guest_memory_fault(struct Env *e, uint64_t gpa);
enum vmexit_action handle_cpuid(struct Env *e);
enum vmexit_action guest_hlt(struct Env *e);
enum vmexit_action guest_triple_fault(struct Env *e);
int guest_set_tsc_scale(struct Env *e, uint64_t scale);
int guest_set_timer(struct Env *e, uint64_t ms);
bool guest_timer_pending(struct Env *e);
void guest_timer_delivered(struct Env *e);
uint64_t guest_tsc_start(struct Env *e);
bool guest_tsc_exits(struct Env *e);
uint64_t guest_tsc(struct Env *e);
enum vmexit_action guest_rdtsc(struct Env *e);

/* vmm/runloop.c: user-device guests, their VMM in user space */
int runloop_check_config(const struct vcpu_config *c);
int runloop_init(struct Env *e, struct PageInfo *run_page);
void runloop_free(struct Env *e);
int runloop_add_mmio(struct Env *e, uint64_t gpa, uint64_t len);
int runloop_run(struct Env *vmm, struct Env *e, uint32_t flags);
bool runloop_guest(struct Env *e);
bool runloop_is_device(struct Env *e, uint64_t gpa);
enum vmexit_action runloop_port_io(struct Env *e, uint16_t port, int size, bool in);
enum vmexit_action runloop_mmio(struct Env *e, uint64_t gpa);
enum vmexit_action runloop_hlt(struct Env *e);
enum vmexit_action runloop_exception(struct Env *e, uint32_t vector, uint32_t error_code);
bool runloop_native(struct Env *e);
enum vmexit_action runloop_forward(struct Env *e, uint32_t reason,
				   const struct vcpu_state *s);
void runloop_exit_state(struct Env *e, struct vcpu_state *s);

/* vmm/stringio.c: INS/OUTS of a user-device guest, forwarded */
enum vmexit_action runloop_string_io(struct Env *e, const struct string_io *io);
void string_io_complete(struct Env *e, struct pending_access *p, const uint8_t *data);
bool guest_ram(struct Env *e, uint64_t gpa, uint64_t len);
void guest_preempted(struct Env *e);
void guest_resume(struct Env *e);

/* vmm/vmconsole.c: each guest's console, and which one the screen shows */
int gcons_init(struct Env *e);
int gcons_set_ring(struct Env *e, uint64_t gpa);
void gcons_drain(struct Env *e);
void gcons_free(struct Env *e);
void gcons_write(struct Env *e, const char *s, size_t len);
int gcons_getc(struct Env *e);
enum vmexit_action gcons_wait(struct Env *e);
bool gcons_host_may_read(struct Env *reader);
int gcons_attach(struct Env *attacher, struct Env *e);
int gcons_detach(struct Env *attacher);
int gcons_input(struct Env *attacher, int c);
bool gcons_attached(struct Env *e);

/* vmm/kshare.c: the host kernel's read-only image, shared with guests */
bool kshare_page(struct PageInfo *pp);
struct PageInfo *kshare_lookup(struct PageInfo *pp, uint64_t gpa);

/* vmm/hypercall.c */
enum vmexit_action handle_vmcall(struct Env *e);
void guest_ipc_release(struct Env *server);
void guest_ipc_forget(struct Env *e);
void guest_ipc_tick(void);
int guest_page_write(struct Env *server, envid_t guestid, uint64_t gpa, const void *va);
int guest_page_give(struct Env *server, envid_t guestid, uint64_t gpa, void *va);
int guest_request_map(struct Env *server, envid_t guestid, uintptr_t va, bool map);

#endif /* !JOS_VMM_VMM_H */
