/*
 * A guest's virtual timer, the same for both backends (vmm -i MS,
 * sys_guest_timer). A tick falls due every timer_ms milliseconds of host
 * time (kern/time.c counts the host's own ticks) and stays pending until
 * the backend has put it into the guest as an external interrupt at
 * GUEST_TIMER_VECTOR. A backend does that before an entry when the guest
 * can take an interrupt, and otherwise asks to exit as soon as it can
 * (vmx_inject_timer, svm_inject_timer). Ticks that fall due while one is
 * still pending merge into it, as on an edge-triggered interrupt line.
 *
 * A guest asleep (CGETC, a parked IPC) gets no ticks: it is not running,
 * so an idle guest still costs nothing.
 *
 * Context: kernel lock held.
 */
#include <inc/error.h>
#include <kern/env.h>
#include <kern/time.h>
#include <vmm/vmm.h>

/* Tick every ms milliseconds (0: never); the guest's creator decides. */
int
guest_set_timer(struct Env *e, uint64_t ms)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;

	if (ms != 0 && (ms < VMM_TIMER_MS_MIN || ms > VMM_TIMER_MS_MAX))
		return -E_INVAL;
	if (runloop_guest(e))
		return -E_INVAL;	/* its code has no interrupt handlers to take it */
	info->timer_ms = ms;
	info->timer_next = time_msec() + ms;
	return 0;
}

/* Is a tick waiting to go into the guest? (Notes one that fell due.) */
bool
guest_timer_pending(struct Env *e)
{
	struct VmxGuestInfo *info = e->env_vmxinfo;
	unsigned now = time_msec();

	if (info->timer_ms && (int) (now - info->timer_next) >= 0) {
		info->timer_pending = true;
		info->timer_next = now + info->timer_ms;
	}
	return info->timer_pending;
}

/* The backend put the pending tick into the guest. */
void
guest_timer_delivered(struct Env *e)
{
	e->env_vmxinfo->timer_pending = false;
	e->env_vmxinfo->stats.timer_interrupts++;
}
