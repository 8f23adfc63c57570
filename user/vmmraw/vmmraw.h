/*
 * vmm -r NAME: the user-space VMM of JOS, which runs a tiny guest of
 * devices/guests/ with the portable device models of devices/ on the
 * kernel's run loop (inc/vcpurun.h, vmm/runloop.c) - the JOS twin of the
 * Linux VMM in kvm/.
 *
 * Environment: a JOS user program (user/vmm.c's -r); one guest, one vCPU.
 * run.c creates the guest, loads it and loops over its exits with one
 * table; host.c implements devices/devhost.h for JOS. Guest RAM is mapped
 * at GUEST_RAM_VA in the VMM too (the very pages the guest has), and the
 * run page at RUN_PAGE_VA.
 */
#ifndef JOS_USER_VMMRAW_H
#define JOS_USER_VMMRAW_H

#include <inc/lib.h>
#include <inc/vmx.h>
#include <inc/vcpurun.h>
#include <devices/dev.h>
#include <devices/guestsetup.h>

#define GUEST_RAM_VA	((uint8_t *) 0x40000000)	/* the guest's RAM (host_init's size) */
#define RUN_PAGE_VA	((struct vcpu_run *) 0x3FFFF000)
#define RAW_GUEST_DIR	"/devguests"			/* NAME.bin, from fs.img */

/* run.c */
int vmm_raw(const char *name, bool measure, bool v86);

/* full.c: vmm -F */
struct full_options {
	const char *disk0, *disk1;	/* the host files behind IDE drives 0 and 1 */
	const char *firmware;
	long mem_mb;
	bool measure;			/* -M: [bench] lines for make bench */
};
int vmm_full(const struct full_options *o);

/* host.c */
void host_init(uint64_t *exits, uint64_t mem);
int host_ram_alloc(void);
int host_ram_share(envid_t guest);
enum dev_status host_access(bool port, uint64_t addr, bool write, uint8_t *data,
			    unsigned size);
struct bus *host_bus(void);

#endif /* !JOS_USER_VMMRAW_H */
