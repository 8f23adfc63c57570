/*
 * What both hypervisor backends share with user programs: the names of
 * their exits, for the hypervisor's messages and for vmstat (one list per
 * backend), the layout of a VMCS/VMCB dump (vmdump, and a dying guest's
 * dump on the kernel console), and which hypercall instruction a guest
 * uses. Linked into the kernel and into the user library.
 */
#include <inc/vmx.h>
#include <inc/string.h>

static const char *const exit_names[VMX_NR_EXIT_REASONS] = {
	[0] = "exception or NMI",
	[1] = "external interrupt",
	[2] = "triple fault",
	[7] = "interrupt window",
	[10] = "CPUID",
	[12] = "HLT",
	[13] = "INVD",
	[16] = "RDTSC",
	[18] = "VMCALL",
	[19] = "VMCLEAR",
	[20] = "VMLAUNCH",
	[21] = "VMPTRLD",
	[22] = "VMPTRST",
	[23] = "VMREAD",
	[24] = "VMRESUME",
	[25] = "VMWRITE",
	[26] = "VMXOFF",
	[27] = "VMXON",
	[28] = "CR access",
	[29] = "DR access",
	[30] = "I/O instruction",
	[31] = "RDMSR",
	[32] = "WRMSR",
	[33] = "invalid guest state",
	[48] = "EPT violation",
	[49] = "EPT misconfiguration",
	[50] = "INVEPT",
	[53] = "INVVPID",
	[59] = "VMFUNC",
};

/* SVM exit codes (AMD APM vol. 2, appendix C), by slot. */
static const char *const svm_exit_names[VMM_EXIT_SLOTS] = {
	[0x00] = "CR0 read",
	[0x03] = "CR3 read",
	[0x04] = "CR4 read",
	[0x08] = "CR8 read",
	[0x10] = "CR0 write",
	[0x13] = "CR3 write",
	[0x14] = "CR4 write",
	[0x18] = "CR8 write",
	[0x20] = "DR0 read",
	[0x27] = "DR7 read",
	[0x30] = "DR0 write",
	[0x37] = "DR7 write",
	[0x46] = "#UD",
	[0x4D] = "#GP",
	[0x4E] = "#PF",
	[0x60] = "INTR",
	[0x61] = "NMI",
	[0x62] = "SMI",
	[0x63] = "INIT",
	[0x64] = "VINTR",
	[0x6E] = "RDTSC",
	[0x72] = "CPUID",
	[0x76] = "INVD",
	[0x78] = "HLT",
	[0x7B] = "IOIO",
	[0x7C] = "MSR",
	[0x7F] = "SHUTDOWN",
	[0x80] = "VMRUN",
	[0x81] = "VMMCALL",
	[0x82] = "VMLOAD",
	[0x83] = "VMSAVE",
	[0x84] = "STGI",
	[0x85] = "CLGI",
	[0x86] = "SKINIT",
	[0x87] = "RDTSCP",
	[0x89] = "WBINVD",
	[0x8D] = "XSETBV",
	[SVM_SLOT_NPF] = "nested page fault",
};

const char *
vmx_exit_name(unsigned reason)
{
	if (reason < VMX_NR_EXIT_REASONS && exit_names[reason])
		return exit_names[reason];
	return "(other)";
}

/* The name of exit slot slot of a guest of backend backend. */
const char *
vmm_exit_name(uint32_t backend, unsigned slot)
{
	if (backend == VMM_BACKEND_VMX)
		return vmx_exit_name(slot);
	if (slot < VMM_EXIT_SLOTS && svm_exit_names[slot])
		return svm_exit_names[slot];
	return "(other)";
}

bool
hypercall_is_vmmcall(void)
{
	static int vmmcall = -1;	/* not asked yet */
	uint32_t eax;

	if (vmmcall < 0) {
		cpuid(CPUID_HV_FEATURES, 0, &eax, NULL, NULL, NULL);
		vmmcall = (eax & HV_FEATURE_VMMCALL) != 0;
	}
	return vmmcall;
}

static const char *const dump_group_names[DUMP_GROUPS] = {
	[DUMP_GUEST] = "guest state",
	[DUMP_HOST] = "host state",
	[DUMP_CONTROL] = "controls",
	[DUMP_EXIT] = "exit information",
};

/* One field a line: its name, then its value as wide as the field. */
static void
dump_field(const struct vm_dump_field *f, const char *prefix,
	   int (*print)(const char *fmt, ...))
{
	char name[VM_DUMP_NAME_MAX];
	int width = f->size <= 8 ? 2 * f->size : 16;

	memcpy(name, f->name, sizeof name);
	name[sizeof name - 1] = 0;
	print("%s  %-30s %0*lx\n", prefix, name, width, f->value);
}

/*
 * Print a dump, group by group, each line starting with prefix; print is
 * cprintf in the kernel, printf in vmdump.
 */
void
vm_dump_print(const struct vm_dump *d, const char *prefix,
	      int (*print)(const char *fmt, ...))
{
	uint32_t g, i, nfields = d->nfields < VM_DUMP_MAX ? d->nfields : VM_DUMP_MAX;
	bool header;

	for (g = 0; g < DUMP_GROUPS; g++)
		for (i = 0, header = false; i < nfields; i++) {
			if (d->field[i].group != g)
				continue;
			if (!header)
				print("%s%s %s:\n", prefix,
				      d->backend == VMM_BACKEND_SVM ? "VMCB" : "VMCS",
				      dump_group_names[g]);
			header = true;
			dump_field(&d->field[i], prefix, print);
		}
}
