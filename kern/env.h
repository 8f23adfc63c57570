/* Environments in the kernel. */
#ifndef JOS_KERN_ENV_H
#define JOS_KERN_ENV_H

#include <inc/env.h>
#include <kern/cpu.h>

extern struct Env *envs;		/* all environments */
extern int env_slots_used;		/* envs[] beyond this have never been used */
#define curenv (thiscpu->cpu_env)	/* the one running on this CPU */

void env_init(void);
void env_init_percpu(void);
int env_alloc(struct Env **e, envid_t parent_id);
void env_free(struct Env *e);
void env_create(const uint8_t *binary, enum EnvType type);
struct vcpu_config;
int env_guest_alloc(struct Env **e, const struct vcpu_config *start);
void env_destroy(struct Env *e);
int envid2env(envid_t envid, struct Env **env_store, bool checkperm);
void env_run(struct Env *e) __attribute__((noreturn));
void env_pop_tf(struct Trapframe *tf) __attribute__((noreturn));

/* The user programs embedded in the kernel (kern/Makefrag builds the table). */
struct UserProgram {
	const char *name;
	const uint8_t *binary;
};
extern const struct UserProgram user_programs[];
const uint8_t *user_program(const char *name);

#endif /* !JOS_KERN_ENV_H */
