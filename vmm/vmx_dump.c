/*
 * VT-x: a guest's VMCS as vmdump and a dying guest's dump show it. One
 * table (USFCA's "results" array) lists every field worth reading, by
 * encoding and by the very name vmcs.h gives it; each field's group
 * (guest state, host state, controls, exit information) and its width
 * are bits of its encoding (SDM appendix B), so the table needs neither.
 *
 * Context: kernel lock held, on the CPU that holds the guest's VMCS
 * (vmx.c makes it current first).
 */
#include <inc/error.h>
#include <inc/string.h>
#include <inc/assert.h>
#include <inc/vmx.h>
#include <kern/env.h>
#include <vmm/vmm.h>
#include <vmm/vmx.h>
#include <vmm/vmx_insn.h>

struct vmcs_name {
	uint32_t enc;
	const char *name;
};

#define FIELD(enc)	{ enc, #enc }

static const struct vmcs_name vmcs_fields[] = {
	/* guest state */
	FIELD(GUEST_RIP), FIELD(GUEST_RSP), FIELD(GUEST_RFLAGS),
	FIELD(GUEST_CR0), FIELD(GUEST_CR3), FIELD(GUEST_CR4), FIELD(GUEST_DR7),
	FIELD(GUEST_IA32_EFER),
	FIELD(GUEST_CS_SELECTOR), FIELD(GUEST_CS_BASE), FIELD(GUEST_CS_LIMIT),
	FIELD(GUEST_CS_AR_BYTES),
	FIELD(GUEST_SS_SELECTOR), FIELD(GUEST_SS_BASE), FIELD(GUEST_SS_LIMIT),
	FIELD(GUEST_SS_AR_BYTES),
	FIELD(GUEST_DS_SELECTOR), FIELD(GUEST_DS_BASE), FIELD(GUEST_DS_LIMIT),
	FIELD(GUEST_DS_AR_BYTES),
	FIELD(GUEST_ES_SELECTOR), FIELD(GUEST_ES_BASE), FIELD(GUEST_ES_LIMIT),
	FIELD(GUEST_ES_AR_BYTES),
	FIELD(GUEST_FS_SELECTOR), FIELD(GUEST_FS_BASE), FIELD(GUEST_FS_LIMIT),
	FIELD(GUEST_FS_AR_BYTES),
	FIELD(GUEST_GS_SELECTOR), FIELD(GUEST_GS_BASE), FIELD(GUEST_GS_LIMIT),
	FIELD(GUEST_GS_AR_BYTES),
	FIELD(GUEST_TR_SELECTOR), FIELD(GUEST_TR_BASE), FIELD(GUEST_TR_LIMIT),
	FIELD(GUEST_TR_AR_BYTES),
	FIELD(GUEST_LDTR_SELECTOR), FIELD(GUEST_LDTR_BASE), FIELD(GUEST_LDTR_LIMIT),
	FIELD(GUEST_LDTR_AR_BYTES),
	FIELD(GUEST_GDTR_BASE), FIELD(GUEST_GDTR_LIMIT),
	FIELD(GUEST_IDTR_BASE), FIELD(GUEST_IDTR_LIMIT),
	FIELD(GUEST_INTERRUPTIBILITY_INFO), FIELD(GUEST_ACTIVITY_STATE),
	FIELD(GUEST_PENDING_DBG_EXCEPTIONS),
	FIELD(GUEST_SYSENTER_CS), FIELD(GUEST_SYSENTER_ESP), FIELD(GUEST_SYSENTER_EIP),
	FIELD(VMCS_LINK_POINTER),
	/* host state */
	FIELD(HOST_RIP), FIELD(HOST_RSP), FIELD(HOST_CR0), FIELD(HOST_CR3), FIELD(HOST_CR4),
	FIELD(HOST_IA32_EFER),
	FIELD(HOST_CS_SELECTOR), FIELD(HOST_SS_SELECTOR), FIELD(HOST_DS_SELECTOR),
	FIELD(HOST_ES_SELECTOR), FIELD(HOST_FS_SELECTOR), FIELD(HOST_GS_SELECTOR),
	FIELD(HOST_TR_SELECTOR),
	FIELD(HOST_FS_BASE), FIELD(HOST_GS_BASE), FIELD(HOST_TR_BASE),
	FIELD(HOST_GDTR_BASE), FIELD(HOST_IDTR_BASE),
	FIELD(HOST_IA32_SYSENTER_CS), FIELD(HOST_IA32_SYSENTER_ESP),
	FIELD(HOST_IA32_SYSENTER_EIP),
	/* controls */
	FIELD(PIN_BASED_VM_EXEC_CONTROL), FIELD(CPU_BASED_VM_EXEC_CONTROL),
	FIELD(SECONDARY_VM_EXEC_CONTROL), FIELD(VM_EXIT_CONTROLS), FIELD(VM_ENTRY_CONTROLS),
	FIELD(EXCEPTION_BITMAP), FIELD(CR3_TARGET_COUNT),
	FIELD(CR0_GUEST_HOST_MASK), FIELD(CR0_READ_SHADOW),
	FIELD(CR4_GUEST_HOST_MASK), FIELD(CR4_READ_SHADOW),
	FIELD(TSC_OFFSET), FIELD(EPT_POINTER),
	FIELD(VM_EXIT_MSR_STORE_COUNT), FIELD(VM_EXIT_MSR_LOAD_COUNT),
	FIELD(VM_ENTRY_MSR_LOAD_COUNT), FIELD(VM_ENTRY_INTR_INFO_FIELD),
	FIELD(VM_ENTRY_EXCEPTION_ERROR_CODE), FIELD(VM_ENTRY_INSTRUCTION_LEN),
	/* exit information */
	FIELD(VM_EXIT_REASON), FIELD(EXIT_QUALIFICATION), FIELD(VM_INSTRUCTION_ERROR),
	FIELD(VM_EXIT_INTR_INFO), FIELD(VM_EXIT_INTR_ERROR_CODE),
	FIELD(IDT_VECTORING_INFO), FIELD(IDT_VECTORING_ERROR_CODE),
	FIELD(VM_EXIT_INSTRUCTION_LEN), FIELD(VMX_INSTRUCTION_INFO),
	FIELD(GUEST_LINEAR_ADDRESS), FIELD(GUEST_PHYSICAL_ADDRESS),
};

static_assert(ARRAY_SIZE(vmcs_fields) <= VM_DUMP_MAX);

static const uint8_t width_bytes[] = {
	[VMCS_WIDTH_16] = 2, [VMCS_WIDTH_64] = 8, [VMCS_WIDTH_32] = 4, [VMCS_WIDTH_NATURAL] = 8,
};

static const uint8_t type_group[] = {
	[VMCS_TYPE_CONTROL] = DUMP_CONTROL, [VMCS_TYPE_EXIT_INFO] = DUMP_EXIT,
	[VMCS_TYPE_GUEST] = DUMP_GUEST, [VMCS_TYPE_HOST] = DUMP_HOST,
};

/* Every field of the table, read from the current VMCS. */
void
vmx_dump_fields(struct Env *e, struct vm_dump *d)
{
	struct vm_dump_field *f;
	size_t i;

	d->backend = VMM_BACKEND_VMX;
	d->nfields = ARRAY_SIZE(vmcs_fields);
	for (i = 0; i < ARRAY_SIZE(vmcs_fields); i++) {
		f = &d->field[i];
		memset(f->name, 0, sizeof f->name);
		strncpy(f->name, vmcs_fields[i].name, sizeof f->name - 1);
		f->group = type_group[VMCS_FIELD_TYPE(vmcs_fields[i].enc)];
		f->size = width_bytes[VMCS_FIELD_WIDTH(vmcs_fields[i].enc)];
		f->value = vmcs_read(vmcs_fields[i].enc);
	}
}

