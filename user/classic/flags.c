/* Classic style: the eflags bits of classic inc/mmu.h, by name and place. */
#include <inc/mmu.h>
#include <inc/lib.h>

static_assert(FL_IOPL_1 == 1 << 12 && FL_IOPL_2 == 2 << 12 && FL_IOPL_3 == 3 << 12);
static_assert(FL_NT == 1 << 14 && FL_RF == 1 << 16 && FL_VM == 1 << 17);
static_assert(FL_AC == 1 << 18 && FL_VIF == 1 << 19 && FL_VIP == 1 << 20);
static_assert(FL_ID == 1 << 21);

void
umain(int argc, char **argv)
{
	uint32_t unwanted = FL_NT | FL_RF | FL_VM | FL_AC | FL_VIF | FL_VIP;

	cprintf("flags a user may not want: %08x; CPUID flag %08x\n", unwanted, FL_ID);
}
