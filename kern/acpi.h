/* The ACPI tables the kernel reads: just the CPUs in the MADT. */
#ifndef JOS_KERN_ACPI_H
#define JOS_KERN_ACPI_H

#include <inc/types.h>

void acpi_find_cpus(void);
/* kern/mpconfig.c */
void add_cpu(uint8_t apicid, bool is_boot);
bool checksum_ok(const void *addr, size_t len);

#endif /* !JOS_KERN_ACPI_H */
