/* The ACPI tables the kernel reads: just the CPUs in the MADT. */
#ifndef JOS_KERN_ACPI_H
#define JOS_KERN_ACPI_H

#include <inc/types.h>

void acpi_find_cpus(void);
void add_cpu(uint8_t apicid, bool is_boot);	/* kern/mpconfig.c */

#endif /* !JOS_KERN_ACPI_H */
