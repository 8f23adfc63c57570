/*
 * The global descriptor table. Long mode ignores segment bases and
 * limits, so the GDT holds only flat code and data segments for ring 0
 * and ring 3, plus one 16-byte TSS descriptor per CPU (which names the
 * stack the CPU switches to on a trap from user mode).
 */
#include <inc/mmu.h>
#include <inc/memlayout.h>
#include <inc/x86.h>
#include <kern/cpu.h>
#include <kern/gdt.h>

struct Gdt {
	struct Segdesc seg[GD_TSS0 / sizeof(struct Segdesc)];
	struct SystemSegdesc64 tss[NCPU];
} __attribute__((packed));

static struct Gdt gdt;

static struct Pseudodesc gdt_pd = {
	sizeof(gdt) - 1, (uint64_t) &gdt
};

static void
set_tss_desc(struct SystemSegdesc64 *d, struct Taskstate *ts)
{
	uint64_t base = (uint64_t) ts;
	uint32_t limit = sizeof(*ts) - 1;

	d->limit_lo = limit & 0xFFFF;
	d->base_lo = base & 0xFFFF;
	d->base_mid = (base >> 16) & 0xFF;
	d->access = STS_T64A | SEG_PRESENT;
	d->limit_hi_flags = (limit >> 16) & 0xF;
	d->base_hi = (base >> 24) & 0xFF;
	d->base_upper = base >> 32;
	d->reserved = 0;
}

void
gdt_init(void)
{
	gdt.seg[GD_KT >> 3] = SEG64(SEG_CODE | SEG_RW, 0);
	gdt.seg[GD_KD >> 3] = SEG64(SEG_RW, 0);
	gdt.seg[GD_UT >> 3] = SEG64(SEG_CODE | SEG_RW, 3);
	gdt.seg[GD_UD >> 3] = SEG64(SEG_RW, 3);
	gdt_init_percpu();
}

/* Load the GDT again: a VM exit leaves its limit at 0xFFFF (SDM 27.5.2). */
void
gdt_reload(void)
{
	lgdt(&gdt_pd);
}

/* Load the GDT and this CPU's TSS, and reload the segment registers. */
void
gdt_init_percpu(void)
{
	int i = cpunum();
	struct Taskstate *ts = &cpus[i].cpu_ts;

	ts->ts_rsp0 = kstacktop(i);
	ts->ts_iomb = sizeof(struct Taskstate);	/* no I/O bitmap */
	set_tss_desc(&gdt.tss[i], ts);

	lgdt(&gdt_pd);
	asm volatile("movw %%ax, %%ds; movw %%ax, %%es; movw %%ax, %%ss"
		     : : "a" (GD_KD));
	asm volatile("movw %%ax, %%fs; movw %%ax, %%gs" : : "a" (0));
	/* Reload CS with a far return. */
	asm volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
		     : : "i" (GD_KT) : "rax", "memory");
	ltr(GD_TSS0 + i * sizeof(struct SystemSegdesc64));
}
