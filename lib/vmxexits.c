/* The names of VM exit reasons, for the hypervisor's messages and for vmstat. */
#include <inc/vmx.h>

static const char *const exit_names[VMX_NR_EXIT_REASONS] = {
	[0] = "exception or NMI",
	[1] = "external interrupt",
	[2] = "triple fault",
	[10] = "CPUID",
	[12] = "HLT",
	[13] = "INVD",
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

const char *
vmx_exit_name(unsigned reason)
{
	if (reason < VMX_NR_EXIT_REASONS && exit_names[reason])
		return exit_names[reason];
	return "(other)";
}
