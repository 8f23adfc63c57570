/* Spin locks, and the big kernel lock that serializes the kernel. */
#ifndef JOS_KERN_SPINLOCK_H
#define JOS_KERN_SPINLOCK_H

#include <inc/types.h>

struct spinlock {
	volatile uint32_t locked;
	const char *name;
	struct CpuInfo *cpu;	/* the holder, for catching self-deadlock */
};

void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);

extern struct spinlock kernel_lock;

static inline void
lock_kernel(void)
{
	spin_lock(&kernel_lock);
}

static inline void
unlock_kernel(void)
{
	spin_unlock(&kernel_lock);
	/* Let another CPU waiting for the lock take it before we retake it. */
	asm volatile("pause");
}

#endif /* !JOS_KERN_SPINLOCK_H */
