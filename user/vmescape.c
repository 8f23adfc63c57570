// vmescape: run inside a JOS-VMM guest, try to reach host files other
// than this guest's disk through the IPC hypercalls, and to reach the
// hypervisor directly from guest user mode. Every attempt must be refused
// with an error code, and the guest must live on; the test then checks the
// host's files are unchanged.
#include <inc/lib.h>
#include <inc/vmx.h>

static union Fsipc req __attribute__((aligned(PGSIZE)));
static struct host_pages far __attribute__((aligned(PGSIZE)));

/* Send one raw request (and page, if not NULL) to the host's file server; return its answer. */
static int
host_request(uint32_t value, void *page)
{
	int r = ipc_host_send(value, page, PTE_P | PTE_U | PTE_W);

	return r < 0 ? r : ipc_host_recv(NULL);
}

static void
attempt(const char *what, uint32_t value, void *page)
{
	int r = host_request(value, page);

	if (r < 0)
		cprintf("vmescape: %s: refused (%e)\n", what, r);
	else
		cprintf("vmescape: %s: ALLOWED (returned %d)\n", what, r);
}

/* The batched disk call is the guest file server's alone. */
static void
host_call_as_program(void)
{
	uint64_t tag = 0;
	void *pg = &req;
	int64_t r = sys_host_call(GDISK_READ, &tag, &pg, 1);

	if (r < 0)
		cprintf("vmescape: batched disk call from a program: refused (%e)\n", (int) r);
	else
		cprintf("vmescape: batched disk call from a program: ALLOWED\n");
}

/* A hypercall made straight from user mode: the hypervisor must refuse it. */
static void
user_hypercall(const char *what, uint64_t num, uint64_t a1, uint64_t a2, uint64_t a4)
{
	int64_t r = hypercall(num, a1, a2, 0, a4);

	if (r < 0)
		cprintf("vmescape: %s from user mode: refused (%e)\n", what, (int) r);
	else
		cprintf("vmescape: %s from user mode: ALLOWED\n", what);
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
	attempt("open /motd for writing", FSREQ_OPEN, &req);

	memset(&req, 0, sizeof req);
	strcpy(req.remove.req_path, "/motd");
	attempt("remove /motd", FSREQ_REMOVE, &req);

	memset(&req, 0, sizeof req);
	req.guest_disk.req_guest = thisenv->env_id;
	strcpy(req.guest_disk.req_path, "/motd");
	attempt("claim /motd as my disk", FSREQ_GUEST_DISK, &req);

	memset(&req, 0, sizeof req);
	req.read.req_fileid = 1024;	/* some other client's file id */
	req.read.req_n = PGSIZE;
	attempt("read another client's file id", FSREQ_READ, &req);

	far.n = 1;
	far.page[0].tag = 1 << 20;
	far.page[0].gpa = 0;
	attempt("write a block past the end of my disk", GDISK_WRITE, &far);
	attempt("read a block past the end of my disk", GDISK_READ, &far);
	host_call_as_program();
	user_hypercall("memory map hypercall", VMX_VMCALL_MBMAP, UTEMP_VA, PGSIZE, 0);
	user_hypercall("IPC call with a page outside guest memory", VMX_VMCALL_IPCCALL,
		       FSREQ_STAT, 1ULL << 40, VMX_IPC_NOPAGE);
	user_hypercall("IPC call naming guest-kernel memory", VMX_VMCALL_IPCCALL,
		       GDISK_READ, VMX_IPC_NOPAGE, 0x100000);
	user_hypercall("IPC receive with nothing sent", VMX_VMCALL_IPCRECV, VMX_IPC_NOPAGE, 0, 0);
	cprintf("vmescape: done\n");
}
