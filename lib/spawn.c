/*
 * spawn: start a program from the file system in a new environment.
 * Unlike Unix fork+exec, the parent builds the child from outside: it
 * reads the ELF file, gives the child each segment's pages (filling them
 * through a scratch mapping at UTEMP in its own address space), lays out
 * argc/argv on the child's stack, shares its PTE_SHARE pages (open file
 * descriptors), and finally sets the child's registers and lets it run.
 */
#include <inc/lib.h>
#include <inc/elf.h>

#define ELFHDR_BYTES	512

static int init_stack(envid_t child, const char **argv, uintptr_t *init_rsp);
static int map_segment(envid_t child, uintptr_t va, size_t memsz,
		       int fd, size_t filesz, off_t fileoffset, int perm);
static int copy_shared_pages(envid_t child);

/* Read and check the ELF header and the first program headers. */
static int
read_elf_header(int fd, uint8_t *buf)
{
	struct Elf *elf = (struct Elf *) buf;

	if (readn(fd, buf, ELFHDR_BYTES) != ELFHDR_BYTES || elf->e_magic != ELF_MAGIC ||
	    elf->e_phoff + elf->e_phnum * sizeof(struct Proghdr) > ELFHDR_BYTES)
		return -E_NOT_EXEC;
	return 0;
}

static int
load_segments(envid_t child, int fd, const uint8_t *elf_buf)
{
	const struct Elf *elf = (const struct Elf *) elf_buf;
	const struct Proghdr *ph = (const struct Proghdr *) (elf_buf + elf->e_phoff);
	int i, r, perm;

	for (i = 0; i < elf->e_phnum; i++, ph++) {
		if (ph->p_type != ELF_PROG_LOAD)
			continue;
		if (ph->p_va + ph->p_memsz > USTACKTOP - PGSIZE || ph->p_filesz > ph->p_memsz)
			return -E_NOT_EXEC;
		perm = PTE_P | PTE_U | ((ph->p_flags & ELF_PROG_FLAG_WRITE) ? PTE_W : 0);
		if ((r = map_segment(child, ph->p_va, ph->p_memsz, fd, ph->p_filesz,
				     ph->p_offset, perm)) < 0)
			return r;
	}
	return 0;
}

envid_t
spawn(const char *prog, const char **argv)
{
	uint8_t elf_buf[ELFHDR_BYTES];
	struct Trapframe child_tf;
	envid_t child;
	uintptr_t rsp;
	int fd, r;

	if ((fd = open(prog, O_RDONLY)) < 0)
		return fd;
	if ((r = read_elf_header(fd, elf_buf)) < 0) {
		close(fd);
		return r;
	}
	if ((r = sys_exofork()) < 0) {
		close(fd);
		return r;
	}
	child = r;
	child_tf = envs[ENVX(child)].env_tf;
	child_tf.tf_rip = ((struct Elf *) elf_buf)->e_entry;

	if ((r = init_stack(child, argv, &rsp)) < 0)
		goto error;
	child_tf.tf_rsp = rsp;
	if ((r = load_segments(child, fd, elf_buf)) < 0)
		goto error;
	/* Closed before sharing descriptors: the child must not inherit it. */
	close(fd);
	fd = -1;
	if ((r = copy_shared_pages(child)) < 0 ||
	    (r = sys_env_set_trapframe(child, &child_tf)) < 0 ||
	    (r = sys_env_set_status(child, ENV_RUNNABLE)) < 0)
		goto error;
	return child;

error:
	sys_env_destroy(child);
	if (fd >= 0)
		close(fd);
	return r;
}

/* spawn with the arguments listed in the call, ending with NULL. */
envid_t
spawnl(const char *prog, const char *arg0, ...)
{
	const char *argv[MAXARGS_SPAWN + 2];
	va_list vl;
	int argc = 0;

	argv[argc++] = arg0;
	va_start(vl, arg0);
	while (arg0 && (argv[argc] = va_arg(vl, const char *)) != NULL)
		if (++argc > MAXARGS_SPAWN) {
			va_end(vl);
			return -E_INVAL;
		}
	va_end(vl);
	argv[argc] = NULL;
	return spawn(prog, argv);
}

/*
 * Build the child's initial stack page at UTEMP, then move it to the
 * child just below USTACKTOP. From the top: the argument strings, the
 * argv[] array (NULL-terminated), then argv and argc, where lib/entry.S
 * pops them. *init_rsp gets the child's starting rsp (16-byte aligned).
 */
/* Where p, a byte of the page built at UTEMP, lands in the child's stack page. */
static uintptr_t
in_child_stack(const void *p)
{
	return USTACKTOP - PGSIZE + (p - UTEMP);
}

static int
init_stack(envid_t child, const char **argv, uintptr_t *init_rsp)
{
	size_t string_size = 0;
	int argc, i, r;
	char *string_store;
	uintptr_t *argv_store;

	for (argc = 0; argv[argc] != 0; argc++)
		string_size += strlen(argv[argc]) + 1;
	string_store = UTEMP + PGSIZE - string_size;
	argv_store = (uintptr_t *) ROUNDDOWN((uintptr_t) string_store - 8 * (argc + 1), 16);
	if ((void *) (argv_store - 2) < UTEMP)
		return -E_NO_MEM;
	if ((r = sys_page_alloc(0, UTEMP, PTE_P | PTE_U | PTE_W)) < 0)
		return r;

	for (i = 0; i < argc; i++) {
		argv_store[i] = in_child_stack(string_store);
		strcpy(string_store, argv[i]);
		string_store += strlen(argv[i]) + 1;
	}
	argv_store[argc] = 0;
	argv_store[-1] = in_child_stack(argv_store);
	argv_store[-2] = argc;
	*init_rsp = in_child_stack(argv_store - 2);

	if ((r = sys_page_map(0, UTEMP, child, (void *) (USTACKTOP - PGSIZE),
			      PTE_P | PTE_U | PTE_W)) < 0)
		goto error;
	return sys_page_unmap(0, UTEMP);
error:
	sys_page_unmap(0, UTEMP);
	return r;
}

/*
 * Give the child [va, va+memsz) with permissions perm: the first filesz
 * bytes from the file at fileoffset, the rest zero. va and fileoffset
 * agree modulo PGSIZE in any sane ELF file.
 */
static int
map_segment(envid_t child, uintptr_t va, size_t memsz,
	    int fd, size_t filesz, off_t fileoffset, int perm)
{
	size_t i, n, skip = PGOFF(va);
	int r;

	va -= skip;
	memsz += skip;
	filesz += skip;
	fileoffset -= skip;
	for (i = 0; i < memsz; i += PGSIZE) {
		n = i < filesz ? MIN((size_t) PGSIZE, filesz - i) : 0;
		if ((r = read_page(fd, fileoffset + i, n)) < 0)
			return r;
		/* The part before the segment's first byte must not leak file bytes. */
		if (i == 0)
			memset(UTEMP, 0, skip);
		if ((r = sys_page_map(0, UTEMP, child, (void *) (va + i), perm)) < 0)
			return r;
		sys_page_unmap(0, UTEMP);
	}
	return 0;
}

/*
 * A fresh page at UTEMP holding the n bytes of fd at offset, then zeros:
 * how spawn (and vmm) build pages to hand to another address space.
 */
int
read_page(int fd, off_t offset, size_t n)
{
	int r;

	if ((r = sys_page_alloc(0, UTEMP, PTE_P | PTE_U | PTE_W)) < 0)
		return r;
	if (n == 0)
		return 0;
	if ((r = seek(fd, offset)) < 0 || (r = readn(fd, UTEMP, n)) != (int) n)
		return r < 0 ? r : -E_EOF;
	return 0;
}

/* Map every PTE_SHARE page of ours into the child at the same address. */
static int
copy_shared_pages(envid_t child)
{
	uintptr_t va = 0;
	pte_t pte;
	int r;

	while (va < UTOP) {
		if (!(uvpml4[va >> PML4SHIFT] & PTE_P))
			va = ROUNDDOWN(va, PML4SIZE) + PML4SIZE;
		else if (!(uvpdp[va >> PDPSHIFT] & PTE_P))
			va = ROUNDDOWN(va, PDPSIZE) + PDPSIZE;
		else if (!(uvpd[va >> PTSHIFT] & PTE_P))
			va = ROUNDDOWN(va, PTSIZE) + PTSIZE;
		else {
			pte = uvpt[va >> PGSHIFT];
			if ((pte & PTE_P) && (pte & PTE_SHARE) &&
			    (r = sys_page_map(0, (void *) va, child, (void *) va,
					      pte & PTE_SYSCALL)) < 0)
				return r;
			va += PGSIZE;
		}
	}
	return 0;
}
