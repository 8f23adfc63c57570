/*
 * SVM: a guest's VMCB as vmdump and a dying guest's dump show it, the
 * twin of vmm/vmx_dump.c. The VMCB is plain memory with a documented
 * layout (AMD APM vol. 2, appendix B), so one table of (offset, size,
 * name, group) is all it takes. The host's state is not in the VMCB
 * (VMRUN saves it in the host save area), so there is no host group.
 *
 * Context: kernel lock held; any CPU (the VMCB is memory; while the guest
 * runs elsewhere the values may be a moment old).
 */
#include <inc/string.h>
#include <inc/assert.h>
#include <inc/vmx.h>
#include <kern/env.h>
#include <vmm/vmm.h>
#include <vmm/svm.h>

struct vmcb_name {
	uint16_t off;
	uint8_t size;
	uint8_t group;
	const char *name;
};

#define CONTROL(off, size)	{ off, size, DUMP_CONTROL, #off }
#define EXIT(off, size)		{ off, size, DUMP_EXIT, #off }
#define GUEST(off, size)	{ off, size, DUMP_GUEST, #off }
#define SEGMENT(seg)							\
	{ seg + SEG_SEL, 2, DUMP_GUEST, #seg " selector" },		\
	{ seg + SEG_ATTRIB, 2, DUMP_GUEST, #seg " attrib" },		\
	{ seg + SEG_LIMIT, 4, DUMP_GUEST, #seg " limit" },		\
	{ seg + SEG_BASE, 8, DUMP_GUEST, #seg " base" }

static const struct vmcb_name vmcb_fields[] = {
	CONTROL(VMCB_INTERCEPT_CR, 4), CONTROL(VMCB_INTERCEPT_DR, 4),
	CONTROL(VMCB_INTERCEPT_EXC, 4), CONTROL(VMCB_INTERCEPT_MISC1, 4),
	CONTROL(VMCB_INTERCEPT_MISC2, 4), CONTROL(VMCB_IOPM_BASE, 8),
	CONTROL(VMCB_MSRPM_BASE, 8), CONTROL(VMCB_TSC_OFFSET, 8), CONTROL(VMCB_ASID, 4),
	CONTROL(VMCB_TLB_CONTROL, 1), CONTROL(VMCB_VINTR, 8), CONTROL(VMCB_NP_ENABLE, 8),
	CONTROL(VMCB_EVENTINJ, 8), CONTROL(VMCB_NCR3, 8), CONTROL(VMCB_CLEAN, 4),
	EXIT(VMCB_EXITCODE, 8), EXIT(VMCB_EXITINFO1, 8), EXIT(VMCB_EXITINFO2, 8),
	EXIT(VMCB_EXITINTINFO, 8), EXIT(VMCB_NRIP, 8),
	GUEST(VMCB_RIP, 8), GUEST(VMCB_RSP, 8), GUEST(VMCB_RAX, 8), GUEST(VMCB_RFLAGS, 8),
	GUEST(VMCB_CR0, 8), GUEST(VMCB_CR2, 8), GUEST(VMCB_CR3, 8), GUEST(VMCB_CR4, 8),
	GUEST(VMCB_DR6, 8), GUEST(VMCB_DR7, 8), GUEST(VMCB_EFER, 8), GUEST(VMCB_CPL, 1),
	SEGMENT(VMCB_CS), SEGMENT(VMCB_SS), SEGMENT(VMCB_DS), SEGMENT(VMCB_ES),
	SEGMENT(VMCB_FS), SEGMENT(VMCB_GS), SEGMENT(VMCB_TR), SEGMENT(VMCB_LDTR),
	SEGMENT(VMCB_GDTR), SEGMENT(VMCB_IDTR),
	GUEST(VMCB_STAR, 8), GUEST(VMCB_LSTAR, 8), GUEST(VMCB_CSTAR, 8),
	GUEST(VMCB_SFMASK, 8), GUEST(VMCB_KERNEL_GS_BASE, 8), GUEST(VMCB_SYSENTER_CS, 8),
	GUEST(VMCB_SYSENTER_ESP, 8), GUEST(VMCB_SYSENTER_EIP, 8), GUEST(VMCB_G_PAT, 8),
};

static_assert(ARRAY_SIZE(vmcb_fields) <= VM_DUMP_MAX);

/* One field of the VMCB, as wide as it is. */
static uint64_t
vmcb_field(const uint8_t *vmcb, const struct vmcb_name *f)
{
	uint64_t v = 0;

	memcpy(&v, vmcb + f->off, f->size);	/* little-endian: the low bytes */
	return v;
}

/* Every field of the table, read from the guest's VMCB (d is zeroed). */
int
svm_dump_state(struct Env *e, struct vm_dump *d)
{
	const struct vmcb_name *f;
	size_t i;

	d->backend = VMM_BACKEND_SVM;
	for (i = 0; i < ARRAY_SIZE(vmcb_fields); i++) {
		f = &vmcb_fields[i];
		guest_dump_field(d, f->name, f->group, f->size, vmcb_field(svm_vcpu(e)->vmcb, f));
	}
	return 0;
}
