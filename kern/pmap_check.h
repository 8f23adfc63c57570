/* Self-checks of the page allocator and page tables (kern/pmap_check.c). */
#ifndef JOS_KERN_PMAP_CHECK_H
#define JOS_KERN_PMAP_CHECK_H

#include <inc/types.h>

extern struct PageInfo *page_free_list;	/* owned by kern/pmap.c */

void check_page_free_list(bool before_kern_pml4);
void check_page_alloc(void);
void check_page(void);
void check_kern_pml4(void);
void check_page_installed_pml4(void);

#endif /* !JOS_KERN_PMAP_CHECK_H */
