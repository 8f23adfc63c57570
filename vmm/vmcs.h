/*
 * VMCS field encodings and VMX control bits (Intel SDM volume 3,
 * appendix B and chapter 24), grouped by kind. Only what JOS-VMM uses.
 */
#ifndef JOS_VMM_VMCS_H
#define JOS_VMM_VMCS_H

/* 16-bit guest-state fields */
#define GUEST_ES_SELECTOR		0x0800
#define GUEST_CS_SELECTOR		0x0802
#define GUEST_SS_SELECTOR		0x0804
#define GUEST_DS_SELECTOR		0x0806
#define GUEST_FS_SELECTOR		0x0808
#define GUEST_GS_SELECTOR		0x080A
#define GUEST_LDTR_SELECTOR		0x080C
#define GUEST_TR_SELECTOR		0x080E

/* 16-bit host-state fields */
#define HOST_ES_SELECTOR		0x0C00
#define HOST_CS_SELECTOR		0x0C02
#define HOST_SS_SELECTOR		0x0C04
#define HOST_DS_SELECTOR		0x0C06
#define HOST_FS_SELECTOR		0x0C08
#define HOST_GS_SELECTOR		0x0C0A
#define HOST_TR_SELECTOR		0x0C0C

/* 64-bit control fields */
#define TSC_OFFSET			0x2010
#define EPT_POINTER			0x201A

/* 64-bit read-only data fields */
#define GUEST_PHYSICAL_ADDRESS		0x2400

/* 64-bit guest-state fields */
#define VMCS_LINK_POINTER		0x2800
#define GUEST_IA32_EFER			0x2806

/* 64-bit host-state fields */
#define HOST_IA32_EFER			0x2C02

/* 32-bit control fields */
#define PIN_BASED_VM_EXEC_CONTROL	0x4000
#define CPU_BASED_VM_EXEC_CONTROL	0x4002
#define EXCEPTION_BITMAP		0x4004
#define CR3_TARGET_COUNT		0x400A
#define VM_EXIT_CONTROLS		0x400C
#define VM_EXIT_MSR_STORE_COUNT		0x400E
#define VM_EXIT_MSR_LOAD_COUNT		0x4010
#define VM_ENTRY_CONTROLS		0x4012
#define VM_ENTRY_MSR_LOAD_COUNT		0x4014
#define VM_ENTRY_INTR_INFO_FIELD	0x4016
#define VM_ENTRY_EXCEPTION_ERROR_CODE	0x4018
#define VM_ENTRY_INSTRUCTION_LEN	0x401A
#define SECONDARY_VM_EXEC_CONTROL	0x401E

/* 32-bit read-only data fields */
#define VM_INSTRUCTION_ERROR		0x4400
#define VM_EXIT_REASON			0x4402
#define VM_EXIT_INTR_INFO		0x4404
#define VM_EXIT_INTR_ERROR_CODE		0x4406
#define IDT_VECTORING_INFO		0x4408
#define IDT_VECTORING_ERROR_CODE	0x440A
#define VM_EXIT_INSTRUCTION_LEN		0x440C
#define VMX_INSTRUCTION_INFO		0x440E

/* 32-bit guest-state fields */
#define GUEST_ES_LIMIT			0x4800
#define GUEST_CS_LIMIT			0x4802
#define GUEST_SS_LIMIT			0x4804
#define GUEST_DS_LIMIT			0x4806
#define GUEST_FS_LIMIT			0x4808
#define GUEST_GS_LIMIT			0x480A
#define GUEST_LDTR_LIMIT		0x480C
#define GUEST_TR_LIMIT			0x480E
#define GUEST_GDTR_LIMIT		0x4810
#define GUEST_IDTR_LIMIT		0x4812
#define GUEST_ES_AR_BYTES		0x4814
#define GUEST_CS_AR_BYTES		0x4816
#define GUEST_SS_AR_BYTES		0x4818
#define GUEST_DS_AR_BYTES		0x481A
#define GUEST_FS_AR_BYTES		0x481C
#define GUEST_GS_AR_BYTES		0x481E
#define GUEST_LDTR_AR_BYTES		0x4820
#define GUEST_TR_AR_BYTES		0x4822
#define GUEST_INTERRUPTIBILITY_INFO	0x4824
#define GUEST_ACTIVITY_STATE		0x4826
#define GUEST_SYSENTER_CS		0x482A

/* 32-bit host-state fields */
#define HOST_IA32_SYSENTER_CS		0x4C00

/* Natural-width control fields */
#define CR0_GUEST_HOST_MASK		0x6000
#define CR4_GUEST_HOST_MASK		0x6002
#define CR0_READ_SHADOW			0x6004
#define CR4_READ_SHADOW			0x6006

/* Natural-width read-only data fields */
#define EXIT_QUALIFICATION		0x6400
#define GUEST_LINEAR_ADDRESS		0x640A

/* Natural-width guest-state fields */
#define GUEST_CR0			0x6800
#define GUEST_CR3			0x6802
#define GUEST_CR4			0x6804
#define GUEST_ES_BASE			0x6806
#define GUEST_CS_BASE			0x6808
#define GUEST_SS_BASE			0x680A
#define GUEST_DS_BASE			0x680C
#define GUEST_FS_BASE			0x680E
#define GUEST_GS_BASE			0x6810
#define GUEST_LDTR_BASE			0x6812
#define GUEST_TR_BASE			0x6814
#define GUEST_GDTR_BASE			0x6816
#define GUEST_IDTR_BASE			0x6818
#define GUEST_DR7			0x681A
#define GUEST_RSP			0x681C
#define GUEST_RIP			0x681E
#define GUEST_RFLAGS			0x6820
#define GUEST_PENDING_DBG_EXCEPTIONS	0x6822
#define GUEST_SYSENTER_ESP		0x6824
#define GUEST_SYSENTER_EIP		0x6826

/* Natural-width host-state fields */
#define HOST_CR0			0x6C00
#define HOST_CR3			0x6C02
#define HOST_CR4			0x6C04
#define HOST_FS_BASE			0x6C06
#define HOST_GS_BASE			0x6C08
#define HOST_TR_BASE			0x6C0A
#define HOST_GDTR_BASE			0x6C0C
#define HOST_IDTR_BASE			0x6C0E
#define HOST_IA32_SYSENTER_ESP		0x6C10
#define HOST_IA32_SYSENTER_EIP		0x6C12
#define HOST_RSP			0x6C14
#define HOST_RIP			0x6C16

/*
 * What an encoding says of its field (SDM appendix B): its width, bits
 * 14:13, and its type, bits 11:10 - control, read-only exit information,
 * guest state or host state.
 */
#define VMCS_FIELD_WIDTH(enc)		(((enc) >> 13) & 3)
#define  VMCS_WIDTH_16			0
#define  VMCS_WIDTH_64			1
#define  VMCS_WIDTH_32			2
#define  VMCS_WIDTH_NATURAL		3
#define VMCS_FIELD_TYPE(enc)		(((enc) >> 10) & 3)
#define  VMCS_TYPE_CONTROL		0
#define  VMCS_TYPE_EXIT_INFO		1
#define  VMCS_TYPE_GUEST		2
#define  VMCS_TYPE_HOST			3

/* Pin-based VM-execution controls */
#define PIN_EXTERNAL_INTERRUPT_EXITING	(1U << 0)

/* Primary processor-based VM-execution controls */
#define CPU_INTR_WINDOW_EXITING		(1U << 2)
#define CPU_USE_TSC_OFFSETTING		(1U << 3)
#define CPU_HLT_EXITING			(1U << 7)
#define CPU_INVLPG_EXITING		(1U << 9)
#define CPU_RDTSC_EXITING		(1U << 12)
#define CPU_CR3_LOAD_EXITING		(1U << 15)
#define CPU_CR3_STORE_EXITING		(1U << 16)
#define CPU_CR8_LOAD_EXITING		(1U << 19)
#define CPU_CR8_STORE_EXITING		(1U << 20)
#define CPU_MOV_DR_EXITING		(1U << 23)
#define CPU_UNCOND_IO_EXITING		(1U << 24)
#define CPU_ACTIVATE_SECONDARY		(1U << 31)

/* Secondary processor-based VM-execution controls */
#define CPU2_ENABLE_EPT			(1U << 1)
#define CPU2_UNRESTRICTED_GUEST		(1U << 7)

/* VM-exit controls */
#define EXIT_HOST_ADDR_SPACE_SIZE	(1U << 9)
#define EXIT_ACK_INTR_ON_EXIT		(1U << 15)
#define EXIT_SAVE_IA32_EFER		(1U << 20)
#define EXIT_LOAD_IA32_EFER		(1U << 21)

/* VM-entry controls */
#define ENTRY_IA32E_MODE		(1U << 9)
#define ENTRY_LOAD_IA32_EFER		(1U << 15)

/* Capability MSRs */
#define MSR_IA32_FEATURE_CONTROL	0x03A
#define  FEATURE_CONTROL_LOCKED		(1U << 0)
#define  FEATURE_CONTROL_VMXON_OUTSIDE_SMX (1U << 2)
#define MSR_IA32_VMX_BASIC		0x480
#define  VMX_BASIC_TRUE_CTLS		(1ULL << 55)
#define MSR_IA32_VMX_PINBASED_CTLS	0x481
#define MSR_IA32_VMX_PROCBASED_CTLS	0x482
#define MSR_IA32_VMX_EXIT_CTLS		0x483
#define MSR_IA32_VMX_ENTRY_CTLS		0x484
#define MSR_IA32_VMX_CR0_FIXED0		0x486
#define MSR_IA32_VMX_CR0_FIXED1		0x487
#define MSR_IA32_VMX_CR4_FIXED0		0x488
#define MSR_IA32_VMX_CR4_FIXED1		0x489
#define MSR_IA32_VMX_PROCBASED_CTLS2	0x48B
#define MSR_IA32_VMX_EPT_VPID_CAP	0x48C
#define  EPT_CAP_WALK_LENGTH_4		(1ULL << 6)
#define  EPT_CAP_WB			(1ULL << 14)
#define  EPT_CAP_INVEPT			(1ULL << 20)
#define  EPT_CAP_INVEPT_SINGLE		(1ULL << 25)
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS	0x48D
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48E
#define MSR_IA32_VMX_TRUE_EXIT_CTLS	0x48F
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS	0x490

/* Exit reasons (basic exit reason: the low 16 bits) */
#define EXIT_REASON_EXCEPTION_NMI	0
#define EXIT_REASON_EXTERNAL_INT	1
#define EXIT_REASON_TRIPLE_FAULT	2
#define EXIT_REASON_INTR_WINDOW		7
#define EXIT_REASON_CPUID		10
#define EXIT_REASON_HLT			12
#define EXIT_REASON_RDTSC		16
#define EXIT_REASON_VMCALL		18
#define EXIT_REASON_VMCLEAR		19	/* 19..27: the VMX instructions */
#define EXIT_REASON_VMXON		27
#define EXIT_REASON_CR_ACCESS		28
#define EXIT_REASON_DR_ACCESS		29
#define EXIT_REASON_IO_INSTRUCTION	30
#define EXIT_REASON_RDMSR		31
#define EXIT_REASON_WRMSR		32
#define EXIT_REASON_INVALID_GUEST	33
#define EXIT_REASON_EPT_VIOLATION	48
#define EXIT_REASON_INVEPT		50
#define EXIT_REASON_INVVPID		53
#define EXIT_REASON_VMFUNC		59
#define EXIT_REASON_ENTRY_FAIL		(1U << 31)
#define EXIT_REASON_BASIC		0xFFFF	/* the basic reason, in the low bits */

/* Exit qualification of an I/O instruction */
#define IO_QUAL_SIZE(q)			(((q) & 7) + 1)
#define IO_QUAL_IN			(1U << 3)
#define IO_QUAL_STRING			(1U << 4)
#define IO_QUAL_REP			(1U << 5)
#define IO_QUAL_PORT(q)			(((q) >> 16) & 0xFFFF)

/*
 * VM-exit instruction information of INS/OUTS (given when IA32_VMX_BASIC
 * bit 54 is set, as on Bochs 2.7): address size and OUTS's segment.
 */
#define INSN_INFO_ADDR_SIZE(i)		(((i) >> 7) & 7)	/* 0: 16-bit, 1: 32, 2: 64 */
#define INSN_INFO_ADDR_64		2
#define INSN_INFO_ADDR_BITS(i)		(16 << (INSN_INFO_ADDR_SIZE(i) & 3))
#define INSN_INFO_SEG(i)		(((i) >> 15) & 7)		/* ES CS SS DS FS GS */
#define GUEST_SEG_BASE(seg)		(GUEST_ES_BASE + 2 * (seg))
#define SEG_ES				0

/* Exit qualification of a control-register access */
#define CR_QUAL_NUM(q)			((q) & 0xF)
#define CR_QUAL_TYPE(q)			(((q) >> 4) & 3)
#define  CR_ACCESS_TO_CR		0
#define  CR_ACCESS_FROM_CR		1
#define CR_QUAL_GPR(q)			(((q) >> 8) & 0xF)

/* Exit qualification of a debug-register access */
#define DR_QUAL_NUM(q)			((q) & 7)
#define DR_QUAL_FROM_DR			(1U << 4)
#define DR_QUAL_GPR(q)			(((q) >> 8) & 0xF)

/* VM-entry interruption information: inject an event */
#define INTR_INFO_VALID			(1U << 31)
#define INTR_TYPE_EXTERNAL		(0U << 8)
#define INTR_TYPE_HW_EXCEPTION		(3U << 8)
#define INTR_INFO_DELIVER_CODE		(1U << 11)
#define INTR_INFO_EVENT			(INTR_INFO_VALID | 0xFFF)	/* the bits an entry takes */

/* Guest interruptibility state: an interrupt must wait one instruction */
#define INTERRUPTIBILITY_STI		(1U << 0)
#define INTERRUPTIBILITY_MOV_SS		(1U << 1)

/* Exit interruption information (external interrupts, with ack on exit) */
#define EXIT_INTR_VECTOR(info)		((info) & 0xFF)
#define EXIT_INTR_TYPE(info)		((info) & (7U << 8))
#define INTR_TYPE_NMI			(2U << 8)

#endif /* !JOS_VMM_VMCS_H */
