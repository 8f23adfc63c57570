// vmescape: run inside a JOS-VMM guest, try to reach host files other
// than this guest's disk through the IPC hypercalls. Every attempt must
// be refused; the test then checks the host's files are unchanged.
#include <inc/lib.h>
#include <inc/vmx.h>

static union Fsipc req __attribute__((aligned(PGSIZE)));

/* Send one raw request to the host's file server; return its answer. */
static int
host_request(uint32_t value, bool with_page)
{
	ipc_host_send(value, with_page ? &req : NULL, PTE_P | PTE_U | PTE_W);
	return ipc_host_recv(NULL);
}

static void
attempt(const char *what, uint32_t value, bool with_page)
{
	int r = host_request(value, with_page);

	if (r < 0)
		cprintf("vmescape: %s: refused (%e)\n", what, r);
	else
		cprintf("vmescape: %s: ALLOWED (returned %d)\n", what, r);
}

/* The memory-map hypercall belongs to the guest's kernel, not to us. */
static void
user_mbmap(void)
{
	int64_t r;

	asm volatile("vmcall" : "=a" (r) : "a" ((uint64_t) VMX_VMCALL_MBMAP),
		     "d" ((uint64_t) UTEMP), "c" ((uint64_t) PGSIZE) : "memory");
	if (r < 0)
		cprintf("vmescape: memory map hypercall from user mode: refused (%e)\n", (int) r);
	else
		cprintf("vmescape: memory map hypercall from user mode: ALLOWED\n");
}

void
umain(int argc, char **argv)
{
	if (!VMM_GUEST) {
		cprintf("vmescape: not a guest; nothing to try\n");
		return;
	}
	memset(&req, 0, sizeof req);
	strcpy(req.open.req_path, "/motd");
	req.open.req_omode = O_RDWR | O_TRUNC;
	attempt("open /motd for writing", FSREQ_OPEN, true);

	memset(&req, 0, sizeof req);
	strcpy(req.remove.req_path, "/motd");
	attempt("remove /motd", FSREQ_REMOVE, true);

	memset(&req, 0, sizeof req);
	req.guest_disk.req_guest = thisenv->env_id;
	strcpy(req.guest_disk.req_path, "/motd");
	attempt("claim /motd as my disk", FSREQ_GUEST_DISK, true);

	memset(&req, 0, sizeof req);
	req.read.req_fileid = 1024;	/* some other client's file id */
	req.read.req_n = PGSIZE;
	attempt("read another client's file id", FSREQ_READ, true);

	memset(&req, 0, sizeof req);
	strcpy(req.write.req_buf, "overwritten by a guest\n");
	attempt("write a block past the end of my disk",
		GDISK_VALUE(GDISK_WRITE, 1 << 20), true);
	attempt("read a block past the end of my disk", GDISK_VALUE(GDISK_READ, 1 << 20), false);
	user_mbmap();
	cprintf("vmescape: done\n");
}
