/*
 * Looking up kernel code addresses. The build embeds two sorted tables
 * in the .ksym section (tools/mksym.py writes them from the linked
 * kernel's symbols and DWARF line table): function start addresses with
 * their names, and line-table rows (address, file, line). A lookup is a
 * binary search for the last row at or before the address.
 */
#include <inc/string.h>
#include <inc/error.h>
#include <kern/kdebug.h>

struct KsymFunc {
	uint64_t addr;
	const char *name;
};

struct KsymLine {
	uint64_t addr;
	uint32_t line;
	uint32_t file;			/* index into ksym_files */
};

extern const struct KsymFunc ksym_funcs[];
extern const uint64_t ksym_nfuncs;
extern const struct KsymLine ksym_lines[];
extern const uint64_t ksym_nlines;
extern const char *const ksym_files[];
extern const char etext[];

/* Index of the last element whose address is <= addr, or -1. */
static long
search(const void *table, size_t elemsize, size_t n, uint64_t addr)
{
	long lo = 0, hi = (long) n - 1, mid, found = -1;

	while (lo <= hi) {
		mid = (lo + hi) / 2;
		if (*(const uint64_t *) ((const char *) table + mid * elemsize) <= addr) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found;
}

/* Fill info for the kernel code address rip; -E_NOT_FOUND if it is not code. */
int
debuginfo_rip(uintptr_t rip, struct RipDebuginfo *info)
{
	long f, l;

	info->rip_file = "?";
	info->rip_line = 0;
	info->rip_fn_name = "?";
	info->rip_fn_addr = rip;
	if (rip >= (uintptr_t) etext)
		return -E_NOT_FOUND;
	if ((f = search(ksym_funcs, sizeof(ksym_funcs[0]), ksym_nfuncs, rip)) < 0)
		return -E_NOT_FOUND;
	info->rip_fn_name = ksym_funcs[f].name;
	info->rip_fn_addr = ksym_funcs[f].addr;
	l = search(ksym_lines, sizeof(ksym_lines[0]), ksym_nlines, rip);
	if (l >= 0 && ksym_lines[l].addr >= info->rip_fn_addr) {
		info->rip_file = ksym_files[ksym_lines[l].file];
		info->rip_line = ksym_lines[l].line;
	}
	return 0;
}
