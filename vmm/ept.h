/* Extended page tables: guest-physical to host-physical mappings. */
#ifndef JOS_VMM_EPT_H
#define JOS_VMM_EPT_H

#include <inc/types.h>
#include <inc/vmx.h>

struct Env;
struct PageInfo;

/* EPT pointer bits: write-back paging structures, 4-level walk. */
#define EPTP_WB		(6 << 0)
#define EPTP_WALK_4	(3 << 3)

/* Leaf entries: the permission bits, memory type write-back (bits 3..5). */
#define EPT_MT_WB	(6 << 3)
#define EPT_PERM_MASK	EPT_RWX

int ept_lookup_gpa(uint64_t *eptrt, uint64_t gpa, bool create, uint64_t **epte_out);
int ept_gpa2hva(uint64_t *eptrt, uint64_t gpa, void **hva);
int ept_page_insert(uint64_t *eptrt, struct PageInfo *pp, uint64_t gpa, int perm);

#endif /* !JOS_VMM_EPT_H */
