/* Inline wrappers for the x86 instructions C cannot express. */
#ifndef JOS_INC_X86_H
#define JOS_INC_X86_H

#include <inc/types.h>

static inline uint8_t
inb(int port)
{
	uint8_t data;
	asm volatile("inb %w1,%0" : "=a" (data) : "d" (port));
	return data;
}

static inline void
insl(int port, void *addr, int cnt)
{
	asm volatile("cld\n\trepne\n\tinsl"
		     : "=D" (addr), "=c" (cnt)
		     : "d" (port), "0" (addr), "1" (cnt)
		     : "memory", "cc");
}

static inline uint16_t
inw(int port)
{
	uint16_t data;
	asm volatile("inw %w1,%0" : "=a" (data) : "d" (port));
	return data;
}

static inline uint32_t
inl(int port)
{
	uint32_t data;
	asm volatile("inl %w1,%0" : "=a" (data) : "d" (port));
	return data;
}

static inline void
outb(int port, uint8_t data)
{
	asm volatile("outb %0,%w1" : : "a" (data), "d" (port));
}

static inline void
outsl(int port, const void *addr, int cnt)
{
	asm volatile("cld\n\trepne\n\toutsl"
		     : "=S" (addr), "=c" (cnt)
		     : "d" (port), "0" (addr), "1" (cnt)
		     : "cc");
}

static inline void
outw(int port, uint16_t data)
{
	asm volatile("outw %0,%w1" : : "a" (data), "d" (port));
}

static inline void
outl(int port, uint32_t data)
{
	asm volatile("outl %0,%w1" : : "a" (data), "d" (port));
}

#ifdef __x86_64__

static inline void
invlpg(void *addr)
{
	asm volatile("invlpg (%0)" : : "r" (addr) : "memory");
}

static inline void
lidt(void *p)
{
	asm volatile("lidt (%0)" : : "r" (p));
}

static inline void
lgdt(void *p)
{
	asm volatile("lgdt (%0)" : : "r" (p));
}

static inline void
ltr(uint16_t sel)
{
	asm volatile("ltr %0" : : "r" (sel));
}

static inline void
lcr0(uint64_t val)
{
	asm volatile("movq %0,%%cr0" : : "r" (val));
}

static inline uint64_t
rcr0(void)
{
	uint64_t val;
	asm volatile("movq %%cr0,%0" : "=r" (val));
	return val;
}

static inline uint64_t
rcr2(void)
{
	uint64_t val;
	asm volatile("movq %%cr2,%0" : "=r" (val));
	return val;
}

static inline void
lcr3(uint64_t val)
{
	asm volatile("movq %0,%%cr3" : : "r" (val) : "memory");
}

static inline uint64_t
rcr3(void)
{
	uint64_t val;
	asm volatile("movq %%cr3,%0" : "=r" (val));
	return val;
}

static inline void
lcr4(uint64_t val)
{
	asm volatile("movq %0,%%cr4" : : "r" (val));
}

static inline uint64_t
rcr4(void)
{
	uint64_t val;
	asm volatile("movq %%cr4,%0" : "=r" (val));
	return val;
}

static inline uint64_t
read_rflags(void)
{
	uint64_t rflags;
	asm volatile("pushfq; popq %0" : "=r" (rflags));
	return rflags;
}

static inline void
write_rflags(uint64_t rflags)
{
	asm volatile("pushq %0; popfq" : : "r" (rflags));
}

/* Always inlined: a call of its own would read its own frame's rbp. */
static inline uint64_t __attribute__((always_inline))
read_rbp(void)
{
	uint64_t rbp;
	asm volatile("movq %%rbp,%0" : "=r" (rbp));
	return rbp;
}

static inline uint64_t __attribute__((always_inline))
read_rsp(void)
{
	uint64_t rsp;
	asm volatile("movq %%rsp,%0" : "=r" (rsp));
	return rsp;
}

static inline uint64_t
read_tsc(void)
{
	uint32_t lo, hi;
	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return ((uint64_t) hi << 32) | lo;
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	asm volatile("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
	return ((uint64_t) hi << 32) | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" : : "c" (msr), "a" ((uint32_t) val), "d" ((uint32_t) (val >> 32)));
}

static inline void
cpuid(uint32_t leaf, uint32_t subleaf,
      uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
	uint32_t a, b, c, d;
	asm volatile("cpuid" : "=a" (a), "=b" (b), "=c" (c), "=d" (d)
		     : "a" (leaf), "c" (subleaf));
	if (eax) *eax = a;
	if (ebx) *ebx = b;
	if (ecx) *ecx = c;
	if (edx) *edx = d;
}

static inline uint32_t
xchg(volatile uint32_t *addr, uint32_t newval)
{
	uint32_t result;
	/* The "+m" makes the compiler treat *addr as both read and written. */
	asm volatile("lock; xchgl %0, %1"
		     : "+m" (*addr), "=a" (result)
		     : "1" (newval)
		     : "cc");
	return result;
}

static inline void
hlt(void)
{
	asm volatile("hlt");
}

/* A breakpoint exception (int3), as a program asks for one. */
static inline void
breakpoint(void)
{
	asm volatile("int3");
}

/*
 * The classic 32-bit JOS names, for programs written for it. Each
 * reads or writes the whole 64-bit register.
 */
static inline uint64_t
read_eflags(void)
{
	return read_rflags();
}

static inline void
write_eflags(uint64_t eflags)
{
	write_rflags(eflags);
}

static inline uint64_t __attribute__((always_inline))
read_ebp(void)
{
	return read_rbp();
}

static inline uint64_t __attribute__((always_inline))
read_esp(void)
{
	return read_rsp();
}

#endif /* __x86_64__ */

#endif /* !JOS_INC_X86_H */
