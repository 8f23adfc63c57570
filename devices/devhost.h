/*
 * devhost.h: what a device model may ask of the host it runs in.
 *
 * The device models of devices/ are portable C: they call no JOS or Linux
 * function, only the four below, which every host implements once:
 *   kvm/host.c          the Linux VMM on /dev/kvm;
 *   (vmm -r under JOS)  the user-level VMM on JOS's KVM-shaped run loop.
 *
 * A host also promises (devices/dev.h says how it reaches the devices):
 *   - never to run two calls into one bus at the same time. The Linux host
 *     holds one mutex around every bus_* call, its poll thread included;
 *   - to count an exit in devhost_exits() before it dispatches that exit,
 *     so that a device handling exit N reads N.
 *
 * Types: a hosted build gets them from the C library's headers, the
 * freestanding JOS build (-nostdinc) from inc/types.h, which defines the
 * same names with the same widths.
 */
#ifndef DEVICES_DEVHOST_H
#define DEVICES_DEVHOST_H

#if __STDC_HOSTED__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#else
#include <inc/types.h>
#endif

/*
 * Guest RAM [gpa, gpa + len) as a host pointer, or NULL if any byte of it
 * is outside guest RAM (a guest may hand a device any address). Valid for
 * the life of the VM. Volatile: the guest may change it at any time.
 */
volatile void *devhost_gpa(uint64_t gpa, uint64_t len);

/*
 * Print on the VMM's console. Formats: %c %s %d %u %x %lu %lx, with widths
 * and 0-padding, which both hosts' printf understand.
 */
void devhost_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A monotonic clock, in nanoseconds. */
uint64_t devhost_time_ns(void);

/* The VM exits of this guest so far, the one being handled included. */
uint64_t devhost_exits(void);

#endif /* !DEVICES_DEVHOST_H */
