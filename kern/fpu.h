/* kern/fpu.c: each environment's x87 and SSE registers. */
#ifndef JOS_KERN_FPU_H
#define JOS_KERN_FPU_H

struct Env;

void fpu_init_percpu(void);
void fpu_init(void);
void fpu_env_init(struct Env *e);
void fpu_switch(struct Env *e);
void fpu_release(void);

#endif /* !JOS_KERN_FPU_H */
