#!/usr/bin/env python3
"""make bench: measure JOS-VMM in Bochs and write obj/bench.json.

One Bochs run (virtual clock: instruction counts repeat exactly) of a
kernel booted with "bench" in its program list, so the kernel prints its
milestones. In Bochs the TSC counts emulated instructions; milestones
give busy ticks (halted time subtracted). Spans:
  host_bios_instructions   power-on to the kernel's first instruction
                           (the TSC the kernel reads at entry)
  host_boot_instructions   kernel entry to the host shell's first prompt
                           (milestone 'shell prompt', printed by sh)
  guest_boot_instructions  vmm's start (milestone 'vmm start') to the
                           guest shell's first prompt (the guest's
                           'shell prompt', reported by hypercall)
  guest_boot_exits         the guest's VM exits up to that moment
  idle_guest_exits_per_s   exits other than external interrupts per (wall)
                           second of a detached guest idle at its prompt
  guest_private_kb         the host memory one more 8 MB guest (vmm -b -m 8)
                           idle at its prompt costs: the free command's
                           count before it and at its prompt, in KB
  max_guests_256mb         8 MB guests (vmm -b -m 8) at their prompt at once
                           before vmm refuses (tried up to MAX_GUESTS)
  overhead                 guest/host ratios of the same workloads, run at
                           the host's shell and then at the guest's:
                           syscall, ipc, fs_write (bench_syscall, bench_ipc,
                           bench_fs) and fs_read (bench_read /bench1m, cold)
  fullvirt_*               the same kernel by full virtualization (vmm -F -M,
                           Bochs only): boot = from the firmware's first
                           instruction to the guest's first wait for input
                           (its shell's prompt), instructions and VM exits (by
                           reason); the read of /bench1m: bench_read's figure,
                           and the guest's VM exits from typing Enter to its
                           next prompt (spawning bench_read included) per
                           4 KB block
The wall-clock spans are measured by this script: from launching Bochs,
and from typing vmm, to seeing the prompt.
"""
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, HERE)
os.chdir(HERE)

import gradelib  # noqa: E402

TIMEOUT = 600
BLOCKS_PER_MB = 256


class BenchError(Exception):
    pass


def wait(run, regex):
    """The match of REGEX (numbers must be followed by text or a newline:
    wait_for also matches a line still arriving)."""
    m = run.wait_for(regex)
    if not m:
        raise BenchError("missing %r (%s); log in obj/bench.log" % (regex, run.ended))
    return m


def command(run, text, regex):
    run.send(text + "\n")
    return wait(run, regex)


def guest_milestone(run, name):
    """busy_tsc, exits and exits by reason at a guest's milestone."""
    m = wait(run, r"^\[bench\] guest [0-9a-f]{8} milestone '%s' busy_tsc (\d+) exits (\d+)(.*)\n"
             % re.escape(name))
    reasons = dict((k, int(v)) for k, v in re.findall(r" (\S+)=(\d+)", m.group(3)))
    return int(m.group(1)), int(m.group(2)), reasons


IDLE_SPAN_S = 5
MAX_GUESTS = 16
IDLE_TRIES = 60


def wait_idle(run, name):
    """Until vmls shows guest NAME idle. Each wait is for the guest's own
    vmls line: a prompt could be an earlier command's."""
    for _ in range(IDLE_TRIES):
        run.send("vmls\n")
        m = wait(run, r"^[ *][0-9a-f]{8} +%s +\d+ MB  (\w+) " % re.escape(name))
        if m.group(1) == "idle":
            return True
        time.sleep(0.5)
    return False


def busy_exits(run, name):
    """A guest's exits other than external interrupts, from vmstat (its
    lines end where vmstat's environment exits)."""
    run.send("vmstat %s\n" % name)
    m = wait(run, r"^guest [0-9a-f]{8}: \d+ VM exits\n((?:.*\n)*?)"
             r"\[[0-9a-f]{8}\] exiting gracefully")
    counts = re.findall(r"^  (\S.*?) +(\d+) exits +\d+ ticks$", m.group(1), re.M)
    return sum(int(n) for k, n in counts if not re.match(r"external interrupt|INTR", k))


def free_kb(run):
    """The host's free memory, as the free command reports it."""
    return int(command(run, "free", r"^free: \d+ pages \((\d+) KB\)").group(1))


def measure_private(run, r):
    """guest_private_kb (see the docstring); after a first guest, so that
    the file server's cache holds what every guest reads."""
    before = free_kb(run)
    command(run, "vmm -b -m 8 -n extra", r"runs in the background")
    idle = wait_idle(run, "extra")
    r["guest_private_kb"] = before - free_kb(run) if idle else None
    command(run, "vmkill extra", r"vmkill: guest [0-9a-f]{8} ended")


def measure_many(run, r):
    command(run, "vmm -b -n idler", r"runs in the background")
    if wait_idle(run, "idler"):
        before = busy_exits(run, "idler")
        time.sleep(IDLE_SPAN_S)
        r["idle_guest_exits_per_s"] = round((busy_exits(run, "idler") - before) /
                                            IDLE_SPAN_S, 2)
    else:
        r["idle_guest_exits_per_s"] = None      # it never went idle: the target is not met
    command(run, "vmkill idler", r"vmkill: guest [0-9a-f]{8} ended")
    measure_private(run, r)
    n = 0
    while n < MAX_GUESTS:
        m = command(run, "vmm -b -m 8 -n g%d" % n,
                    r"(runs in the background|not enough memory|cannot)")
        if m.group(1) != "runs in the background" or not wait_idle(run, "g%d" % n):
            break
        n += 1
    r["max_guests_256mb"] = n


OVERHEAD_KEYS = ["syscall", "ipc", "fs_write", "fs_read"]


def workloads(run):
    """The same workloads at whichever shell is in front (host or guest),
    in TSC ticks: a null system call, an IPC round trip, and writing a
    file per KB (bench_fs's read is of blocks it just wrote: cached)."""
    w = {}
    w["syscall"] = int(command(
        run, "bench_syscall", r"^null system call: (\d+) TSC ticks").group(1))
    w["ipc"] = int(command(run, "bench_ipc", r"^IPC round trip: (\d+) TSC ticks").group(1))
    w["fs_write"] = int(command(
        run, "bench_fs", r"^file write: (\d+) TSC ticks per KB").group(1))
    return w


def measure(run):
    r = {}
    start = time.time()
    r["host_bios_instructions"] = int(wait(run, r"^Boot: kernel entered at TSC (\d+),").group(1))
    prompt = int(wait(run, r"^\[bench\] milestone 'shell prompt' busy_tsc (\d+)\n").group(1))
    r["host_boot_instructions"] = prompt - r["host_bios_instructions"]
    wait(run, r"\$ ")
    r["host_boot_wall_s"] = round(time.time() - start, 2)

    host = workloads(run)
    r["null_syscall_instructions"] = host["syscall"]
    r["host_read_instructions_per_kb"] = int(command(
        run, "bench_read /bench1m", r"^bench_read: 1024 KB, (\d+) TSC ticks per KB").group(1))

    typed = time.time()
    vmm_start = int(command(run, "vmm", r"^\[bench\] milestone 'vmm start' busy_tsc (\d+)\n")
                    .group(1))
    tsc, exits, reasons = guest_milestone(run, "shell prompt")
    wait(run, r"vm\$ ")
    r["guest_boot_wall_s"] = round(time.time() - typed, 2)
    r["guest_boot_instructions"] = tsc - vmm_start
    r["guest_boot_exits"] = exits

    run.send("bench_read /bench1m\n")
    _, _, before = guest_milestone(run, "read start")
    _, _, after = guest_milestone(run, "read end")
    r["guest_read_instructions_per_kb"] = int(wait(
        run, r"^bench_read: 1024 KB, (\d+) TSC ticks per KB").group(1))
    # The 'read end' milestone is a hypercall itself.
    key = "VMCALL" if "VMCALL" in after else "VMMCALL"
    calls = after.get(key, 0) - before.get(key, 0) - 1
    r["hypercalls_per_block"] = round(calls / BLOCKS_PER_MB, 2)
    r["null_hypercall_instructions"] = int(command(
        run, "bench_hypercall", r"^null hypercall: (\d+) TSC ticks").group(1))
    guest = workloads(run)
    host["fs_read"] = r["host_read_instructions_per_kb"]
    guest["fs_read"] = r["guest_read_instructions_per_kb"]
    r["overhead"] = dict((k, round(guest[k] / host[k], 2)) for k in OVERHEAD_KEYS)
    r["overhead_host"] = dict((k, host[k]) for k in OVERHEAD_KEYS)
    r["overhead_guest"] = dict((k, guest[k]) for k in OVERHEAD_KEYS)
    command(run, "halt", r"^vmm: guest [0-9a-f]{8} has ended$")
    r["exits_by_reason"] = reasons
    measure_many(run, r)
    return r


FULL_SNAP = r"^\[bench\] fullvirt waits for input: exits (\d+)(.*)\n"


def measure_full(run):
    """vmm -F -M in a Bochs run of its own: the full-virtualization figures
    (see the docstring)."""
    r = {}
    wait(run, r"^\[bench\] milestone 'shell prompt' busy_tsc (\d+)\n")
    wait(run, r"\$ ")
    start = int(command(run, "vmm -F -M", r"^\[bench\] milestone 'fullvirt start' busy_tsc (\d+)\n")
                .group(1))
    # The guest's prompt has no newline: the milestone follows it on its line.
    prompt = int(wait(run, r"\[bench\] milestone 'fullvirt waits for input' busy_tsc (\d+)\n")
                 .group(1))
    m = wait(run, FULL_SNAP)
    at_prompt = int(m.group(1))
    r["fullvirt_boot_instructions"] = prompt - start
    r["fullvirt_boot_exits"] = at_prompt
    r["fullvirt_boot_exits_by_reason"] = dict(
        (k, int(v)) for k, v in re.findall(r" (\S+)=(\d+)", m.group(2)))
    typed = len(run.log)
    run.send("bench_read /bench1m\n")
    m = wait(run, r"^bench_read: 1024 KB, (\d+) TSC ticks per KB")
    r["fullvirt_read_instructions_per_kb"] = int(m.group(1))
    # The line typed at once, the guest has not waited again before the read.
    waits = re.findall(FULL_SNAP, run.log[typed:m.start()], re.M)
    before = int(waits[-1][0]) if waits else at_prompt
    after = wait(run, FULL_SNAP)
    r["fullvirt_exits_per_block"] = round((int(after.group(1)) - before) / BLOCKS_PER_MB, 2)
    command(run, "halt", r"^vmm: the full-virtualization guest powered off$")
    wait(run, r"\$ ")
    return r


TARGETS = [
    ("guest_boot_exits", lambda r: r["guest_boot_exits"] <= 12, "<= 12"),
    ("idle_guest_exits_per_s", lambda r: r["idle_guest_exits_per_s"] == 0, "0 (None: never idle)"),
    ("max_guests_256mb", lambda r: r["max_guests_256mb"] >= 16, ">= 16"),
    ("hypercalls_per_block", lambda r: r["hypercalls_per_block"] <= 0.25, "<= 0.25"),
    ("overhead", lambda r: all(v <= 1.05 for k, v in r["overhead"].items() if k != "fs_read")
     and r["overhead"]["fs_read"] <= 1.10, "each <= 1.05, fs_read <= 1.10"),
    ("guest_boot_instructions",
     lambda r: r["guest_boot_instructions"] <= 1.2 * r["host_boot_instructions"],
     "<= 1.2 x host_boot_instructions"),
]


def table(r):
    lines = ["%-32s %s" % (k, v) for k, v in r.items()
             if not k.endswith("exits_by_reason") and not k.startswith("overhead")]
    if "overhead" in r:
        lines.append("overhead (guest/host; host, guest ticks):")
        lines += ["    %-28s %.2f  (%d, %d)" % (k, r["overhead"][k], r["overhead_host"][k],
                                              r["overhead_guest"][k]) for k in OVERHEAD_KEYS]
    for key in ("exits_by_reason", "fullvirt_boot_exits_by_reason"):
        if key in r:
            lines.append(key + ":")
            lines += ["    %-28s %d" % (k, v) for k, v in sorted(r[key].items())]
    lines.append("targets:")
    for key, ok, text in TARGETS:
        lines.append("    %-28s %s  %s" % (key, text, "met" if ok(r) else "NOT MET"))
    return "\n".join(lines)


# QEMU's TSC follows the host's clock unless -icount makes its time count
# instructions: with shift=0 each instruction is 1 ns of virtual time, so its
# figures repeat from run to run and do not depend on the machine's load.
QEMU_ICOUNT = ["-icount", "shift=0,sleep=off"]


def bench_run(emulator, log, measure_fn=measure):
    """Measure on one emulator (Bochs: VT-x, QEMU: SVM); None on failure."""
    image = gradelib.boot_image(["init", "fs", "bench"])
    run = gradelib.Run(emulator, image, disk=os.path.join("obj", "fs", "fs.img"),
                       timeout=TIMEOUT, qemu_args=QEMU_ICOUNT)
    run.start()
    try:
        return measure_fn(run)
    except (BenchError, gradelib.Failure) as e:
        print("bench (%s): %s" % (emulator, e))
        return None
    finally:
        run.stop()
        run.remove_disk_copy()
        with open(os.path.join("obj", log), "w") as f:
            f.write(run.log)


def main():
    result = bench_run("bochs", "bench.log")
    full = bench_run("bochs", "bench-full.log", measure_full)
    svm = bench_run("qemu", "bench-svm.log")
    if result is None or svm is None or full is None:
        return 1
    result.update(full)
    with open(os.path.join("obj", "bench.json"), "w") as f:
        json.dump(dict(result, svm=svm), f, indent=2)
        f.write("\n")
    print("VT-x, Bochs (instructions):")
    print(table(result))
    print("SVM, QEMU -icount shift=0 (ticks: about one per instruction):")
    print(table(svm))
    print("(obj/bench.json, with the SVM figures under \"svm\"; serial logs "
          "obj/bench.log, obj/bench-full.log, obj/bench-svm.log)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
