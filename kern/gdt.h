/* The global descriptor table. */
#ifndef JOS_KERN_GDT_H
#define JOS_KERN_GDT_H

void gdt_init(void);
void gdt_init_percpu(void);
void gdt_reload(void);

#endif /* !JOS_KERN_GDT_H */
