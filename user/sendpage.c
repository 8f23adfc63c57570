/*
 * Pass one page back and forth over IPC.  The parent writes a question
 * into a fresh page and sends it; the child receives it at another
 * address, prints it, writes its answer into the same page and sends it
 * back; the parent receives it at a third address.  Since it is one
 * physical page all along, the parent's original mapping must show the
 * answer as well.
 */
#include <inc/lib.h>

#define PARENT_PAGE	((char *) 0xa00000)
#define CHILD_PAGE	((char *) 0xb00000)
#define REPLY_PAGE	((char *) 0xc00000)

static const char question[] = "hello child environment! how are you?";
static const char answer[] = "hello parent environment! I'm good.";

static void
as_child(void)
{
	envid_t from;
	int perm = 0;

	ipc_recv(&from, CHILD_PAGE, &perm);
	cprintf("%x got message: %s\n", from, CHILD_PAGE);
	if (!(perm & PTE_P) || !(perm & PTE_W))
		panic("sendpage: child got the page with perm %x", perm);
	if (strcmp(CHILD_PAGE, question) != 0)
		panic("sendpage: the child got the wrong text");
	strcpy(CHILD_PAGE, answer);
	ipc_send(from, 0, CHILD_PAGE, PTE_P | PTE_U | PTE_W);
}

void
umain(int argc, char **argv)
{
	envid_t kid, from;
	int r, perm = 0;

	kid = fork();
	if (kid < 0)
		panic("sendpage: fork: %e", kid);
	if (kid == 0) {
		as_child();
		return;
	}

	if ((r = sys_page_alloc(0, PARENT_PAGE, PTE_P | PTE_U | PTE_W)) < 0)
		panic("sendpage: sys_page_alloc: %e", r);
	strcpy(PARENT_PAGE, question);
	ipc_send(kid, 0, PARENT_PAGE, PTE_P | PTE_U | PTE_W);

	ipc_recv(&from, REPLY_PAGE, &perm);
	cprintf("%x got message: %s\n", from, REPLY_PAGE);
	if (from != kid)
		panic("sendpage: reply from %08x, not from the child %08x", from, kid);
	if (strcmp(REPLY_PAGE, answer) != 0)
		panic("sendpage: the parent got the wrong text");
	if (strcmp(PARENT_PAGE, answer) != 0)
		panic("sendpage: the page was copied, not shared");
	cprintf("sendpage: the page was shared both ways\n");
}
