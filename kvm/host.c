/*
 * host.c: devices/devhost.h for Linux, and the lock and poll thread that
 * keep the device models' promise (no two bus calls at once).
 *
 * The vCPU (main) thread calls host_access for each port or MMIO access
 * and host_poll after each exit. When a device answers a poll with "again" (its
 * queues live in guest RAM), host_poll starts the poll thread, which
 * calls bus_poll until the device stops asking or the guest has ended.
 * If a poll finds the guest breaking a protocol, the poll thread kicks
 * the vCPU out of KVM_RUN (immediate_exit and a signal); the run loop
 * sees KVM_EXIT_INTR and ends the guest.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <kvm/kvm.h>

#define KICK_SIGNAL	SIGUSR1

static struct vm *the_vm;
static struct vcpu *the_cpu;
static pthread_mutex_t bus_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t vcpu_thread, poll_thread;
static bool polling;			/* the poll thread was started */
static bool stop_polling;		/* atomic: the guest has ended */
static enum dev_status poll_status;	/* under bus_lock */

/* ---------------------------------------------------------------- devhost.h */

volatile void *
devhost_gpa(uint64_t gpa, uint64_t len)
{
	if (gpa > the_vm->mem_size || len > the_vm->mem_size - gpa)
		return NULL;
	return the_vm->mem + gpa;
}

void
devhost_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

uint64_t
devhost_time_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

uint64_t
devhost_exits(void)
{
	return __atomic_load_n(&the_cpu->exits, __ATOMIC_ACQUIRE);
}

/* ---------------------------------------------------------------- the bus */

/* One access of the guest's to a port or an MMIO address. */
enum dev_status
host_access(enum address_space space, uint64_t addr, bool write, uint8_t *data,
	    unsigned size)
{
	enum dev_status s;

	pthread_mutex_lock(&bus_lock);
	if (space == SPACE_PORT)
		s = bus_io(&the_vm->bus, (uint16_t) addr, write, data, size);
	else
		s = bus_mmio(&the_vm->bus, addr, write, data, size);
	pthread_mutex_unlock(&bus_lock);
	return s;
}

static enum dev_status
poll_once(bool *again)
{
	enum dev_status s;

	pthread_mutex_lock(&bus_lock);
	s = bus_poll(&the_vm->bus, again);
	if (s != DEV_OK)
		poll_status = s;
	pthread_mutex_unlock(&bus_lock);
	return s;
}

static void
kick_vcpu(void)
{
	__atomic_store_n(&the_cpu->run->immediate_exit, 1, __ATOMIC_RELEASE);
	pthread_kill(vcpu_thread, KICK_SIGNAL);
}

static void *
poll_loop(void *unused)
{
	bool again = true;

	while (again && !__atomic_load_n(&stop_polling, __ATOMIC_ACQUIRE)) {
		if (poll_once(&again) != DEV_OK) {
			kick_vcpu();
			break;
		}
		sched_yield();
	}
	return NULL;
}

/* After each exit: poll, and start the poll thread the first time a
 * device asks to be polled again. */
enum dev_status
host_poll(void)
{
	bool again;
	enum dev_status s = poll_once(&again);

	if (s == DEV_OK && again && !polling) {
		if (pthread_create(&poll_thread, NULL, poll_loop, NULL) != 0) {
			printf("kvmvmm: cannot start the poll thread\n");
			return DEV_CONFLICT;
		}
		polling = true;
	}
	return s;
}

/* What the poll thread found, if it kicked the vCPU. */
enum dev_status
host_poll_failure(void)
{
	enum dev_status s;

	pthread_mutex_lock(&bus_lock);
	s = poll_status;
	pthread_mutex_unlock(&bus_lock);
	return s;
}

enum dev_status
host_finish(void)
{
	enum dev_status s;

	pthread_mutex_lock(&bus_lock);
	s = bus_finish(&the_vm->bus);
	pthread_mutex_unlock(&bus_lock);
	return s;
}

/* The guest has ended: no more polls. */
void
host_stop(void)
{
	__atomic_store_n(&stop_polling, true, __ATOMIC_RELEASE);
	if (polling)
		pthread_join(poll_thread, NULL);
	polling = false;
}

static void
on_kick(int sig)
{
	/* Nothing: the signal only makes KVM_RUN return with EINTR. */
}

void
host_init(struct vm *vm, struct vcpu *cpu)
{
	struct sigaction sa = { .sa_handler = on_kick };

	the_vm = vm;
	the_cpu = cpu;
	vcpu_thread = pthread_self();
	sigemptyset(&sa.sa_mask);
	sigaction(KICK_SIGNAL, &sa, NULL);
}
