/*
 * host.c: devices/devhost.h for JOS user space, and the device bus of
 * vmm -r. JOS gives an environment no threads, so the promise that bus
 * calls never overlap holds by itself: the one VMM environment makes
 * them all, between exits (run.c polls after each exit and whenever the
 * kernel's timer hands it the CPU with VCPU_EXIT_INTR).
 */
#include <user/vmmraw/vmmraw.h>

#define NS_PER_MS	1000000ULL

static uint64_t *exit_count;	/* the loop's: forwarded exits so far */
static uint64_t mem_size;	/* bytes of guest RAM at GUEST_RAM_VA */
static struct bus the_bus;

volatile void *
devhost_gpa(uint64_t gpa, uint64_t len)
{
	if (gpa > mem_size || len > mem_size - gpa)
		return NULL;
	return GUEST_RAM_VA + gpa;
}

/* The guest's RAM: mem_size bytes of this program's pages at GUEST_RAM_VA. */
int
host_ram_alloc(void)
{
	uint64_t off;
	int r;

	for (off = 0; off < mem_size; off += PGSIZE)
		if ((r = sys_page_alloc(0, GUEST_RAM_VA + off, PTE_P | PTE_U | PTE_W)) < 0)
			return r;
	return 0;
}

/* ... given to the guest at guest-physical 0, the very pages. */
int
host_ram_share(envid_t guest)
{
	uint64_t off;
	int r;

	for (off = 0; off < mem_size; off += PGSIZE)
		if ((r = sys_ept_map(0, GUEST_RAM_VA + off, guest, off, EPT_RWX)) < 0)
			return r;
	return 0;
}

void
devhost_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcprintf(fmt, ap);
	va_end(ap);
}

/* The kernel's clock has milliseconds only. */
uint64_t
devhost_time_ns(void)
{
	return sys_time_msec() * NS_PER_MS;
}

/* The exits the kernel forwarded, as KVM's VMM counts those KVM returns. */
uint64_t
devhost_exits(void)
{
	return *exit_count;
}

void
host_init(uint64_t *exits, uint64_t mem)
{
	exit_count = exits;
	mem_size = mem;
	bus_init(&the_bus);
}

struct bus *
host_bus(void)
{
	return &the_bus;
}

/* One access of the guest's to a port or to device memory. */
enum dev_status
host_access(bool port, uint64_t addr, bool write, uint8_t *data, unsigned size)
{
	if (port)
		return bus_io(&the_bus, (uint16_t) addr, write, data, size);
	return bus_mmio(&the_bus, addr, write, data, size);
}
