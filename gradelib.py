"""gradelib: a small test harness for JOS-VMM, written for this repository.

How it works
------------
* A grade script (grade-lab-base, grade-lab-vmm) registers tests with the
  ``@test("name")`` decorator and then calls ``main()``.  A test is a function
  without arguments: it passes by returning, and fails by raising ``Failure``
  (or any other exception, which is reported as a harness error).
* ``main()`` picks the tests named on the command line or in the environment
  variable ``T`` (comma- or space-separated names or glob patterns such as
  ``boot*``; a word without glob characters that is not the exact name of a test
  matches every test whose name contains it).  It runs them in registration
  order and prints one line per test, ``NAME: OK (1.2s)`` or
  ``NAME: FAIL (reason; 1.2s)``, then ``N passed, N failed``.  A test that
  cannot run on this machine (no /dev/kvm) raises ``Skip``: it prints
  ``NAME: SKIP (reason)``, counts neither as passed nor as failed, and the
  summary then ends with ``, N skipped``.  Times leave
  out building, which is shown apart (``OK (0.2s, build 8.1s)``).  The exit
  status is 1 if any test failed.  ``--list`` prints the test names.
  With ``GRADE_VERDICTS=FILE`` in the environment the verdicts are also
  written to FILE, as JSON ``{name: "OK"|"FAIL"|"SKIP"}``.
* ``build(objdir, defs)`` runs ``make -s OBJDIR=<objdir> [DEFS=<defs>]`` once
  per harness run for each variant and returns ``<objdir>/kern/kernel.img``.
* ``Run`` boots an image in QEMU or Bochs without a display.  The harness
  listens on a TCP port of 127.0.0.1 and the emulator connects its COM1 to
  it, so the harness sees everything the kernel prints and can type into the
  kernel monitor.  A reader thread collects the output; ``wait_for`` wakes up
  as soon as new output arrives or the emulator exits (nothing sleeps), and
  every wait ends at the latest at the run's deadline, or at once when
  the output shows a ``GIVE_UP`` line (a stub of make handout's was hit,
  so the run can only fail).  Emulators run in
  their own process group, which ``stop()`` kills; the framework stops every
  run of a test when the test ends, also on errors and Ctrl-C.
* ``termrun.TermRun`` (termrun.py) is the other kind of run: a command such
  as ``./jos bochs`` on a pseudo-terminal whose other side is the harness,
  for the interactive targets.  Both kinds share ``Console``: the output
  log and the waits on it.
* When a test fails, the serial log of each of its runs is saved as
  ``obj/grade-logs/NAME.log`` (``NAME-2.log``, ... for further runs), the
  emulator's own output as ``NAME.emu.log`` (QEMU's stderr, or the Bochs
  log file), and a failed build as ``NAME.build.log``.  The logs of a test
  are deleted when the test starts, so what is there belongs to the last run.
* ``expect_in_order(log, regexes)`` and ``forbid(log, regexes)`` return None
  or a message naming the missing / forbidden line; ``expect_lines`` wants
  exactly one line per regex; ``check(...)`` raises ``Failure`` with the
  first such message.
* ``@test(name, needs=(...))`` names the exercises (the HANDOUT markers
  of tools/handout.py) a test cannot pass without; the test ``handout``
  (grade-lab-docs) runs the whole grader in make handout's tree and
  wants exactly the tests that need a stubbed exercise to fail.
* Tests of programs that are not emulators (the Linux KVM VMM) build them
  with ``build_targets(...)`` and keep their output with ``save_output``.
"""

import fcntl
import fnmatch
import json
import os
import re
import selectors
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import bochsterm  # noqa: E402

LOGDIR = os.path.join("obj", "grade-logs")
PROMPT = r"K> "                 # the monitor prompt (printed without newline)
LOG_LIMIT = 1 << 20             # stop reading a run's output beyond this

# Bochs runs headless with display_library "term" (Debian's Bochs has no
# "nogui"), which needs a terminal: it gets a pseudo-terminal of its own with
# TERM=vt100, and what it draws is read and thrown away (tools/bochsterm.py:
# a display nobody reads stops Bochs after some 20 KB).  Settings given
# as arguments after "-f .bochsrc" override those of the file (checked with
# Bochs 2.7: the later line wins), so the checked-in .bochsrc is used as is
# and the harness only appends the disk, COM1 socket, log file and CPU lines.
# The appended ata0-master line has no geometry, so Bochs autodetects it:
# 16 heads, 63 sectors, size / 516096 cylinders (the image must be a multiple
# of 512 bytes and at least 516096 bytes).  Bochs exits with status 1 even on
# a clean "Shutdown", so runs are judged by their serial output only.
BOCHS = ["bochs", "-q", "-f", ".bochsrc", "-rc", "tools/bochs-continue.rc",
         "-unlock"]
QEMU = ["qemu-system-x86_64", "-machine", "pc", "-m", "256",
        "-display", "none", "-monitor", "none", "-no-reboot",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
QEMU_CPU = "qemu64,+svm,+npt"   # AMD SVM with nested paging: vmm runs in QEMU

# Lines that only an unwritten exercise's stub brings about (make handout,
# tools/handout.py): a guest ended by a stub that says so, or vmm or a
# file server stopped by the -E_NOT_SUPP a stub returns (nothing else in
# the kernel returns it to them). A run that shows one can only fail, so
# a wait gives up at once instead of at its timeout; run.ended says why.
GIVE_UP = [r"not written yet",
           r"^(vmm: |\[[0-9a-f]{8}\] user panic in ).*: operation not supported$"]


class Failure(Exception):
    """Raised by a test (or by helpers) to make the test fail."""


class Skip(Exception):
    """Raised by a test that cannot run on this machine; the message says why."""


# ---------------------------------------------------------------- registry

_tests = []            # [(name, function)] in registration order
_first = set()         # names of long tests, started before the others
_needs = {}            # name -> the exercises (handout markers) it needs
_verdicts = {}         # name -> "OK", "FAIL" or "SKIP", as each test ends
_current = None        # state of the running test: {"name", "runs", "build"}


def test(name, first=False, needs=()):
    """Decorator registering a test function under NAME. FIRST: a long
    test (the handout's whole grader), started before the others so that
    they run beside it, J - 1 at a time, instead of waiting for it at the
    end (make grade runs J tests at once). NEEDS: the
    exercises the test cannot pass without, by their names in the
    HANDOUT BEGIN markers (tools/handout.py): in the students' tree,
    where those bodies are stubs, exactly these tests must fail."""
    def register(fn):
        if any(n == name for n, _ in _tests):
            raise ValueError("duplicate test name %r" % name)
        _tests.append((name, fn))
        _needs[name] = tuple(needs)
        if first:
            _first.add(name)
        return fn
    return register


def registered():
    """[(name, the exercises it needs)] of every test, in order."""
    return [(n, _needs[n]) for n, _ in _tests]


def _select(words):
    names = [n for n, _ in _tests]
    if not words:
        return names
    chosen = set()
    for w in words:
        if any(c in w for c in "*?["):
            hits = fnmatch.filter(names, w)
        elif w in names:
            hits = [w]
        else:
            hits = [n for n in names if w in n]
        if not hits:
            sys.exit("grade: no test matches %r; tests are: %s"
                     % (w, " ".join(names)))
        chosen.update(hits)
    return [n for n in names if n in chosen]


def _logpath(name, suffix):
    return os.path.join(LOGDIR, name + suffix)


def _clear_logs(name):
    if os.path.isdir(LOGDIR):
        for f in os.listdir(LOGDIR):
            if re.fullmatch(re.escape(name) + r"(-\d+)?\.(log|emu\.log|build\.log)", f):
                os.remove(os.path.join(LOGDIR, f))


def _save_logs(name, runs):
    """Write the logs of RUNS; return the path of the first serial log."""
    os.makedirs(LOGDIR, exist_ok=True)
    first = None
    for i, run in enumerate(runs):
        base = name if i == 0 else "%s-%d" % (name, i + 1)
        path = _logpath(base, ".log")
        with open(path, "w") as f:
            f.write(run.log)
        with open(_logpath(base, ".emu.log"), "w") as f:
            f.write("$ %s\n# %s\n" % (" ".join(map(shlex.quote, run.cmd)),
                                      run.ended))
            f.write(run.emulator_output())
        first = first or path
    return first


class _Terminate(BaseException):
    pass


def _on_signal(signum, frame):
    raise _Terminate()


def _remove_stale_files():
    """Remove emulator logs and image copies left by harness runs that were
    killed (.run-PID-N.emu, .run-PID-N.disk, .run-PID-N.img, .term-PID-N-NAME,
    .job-PID-NAME)."""
    if not os.path.isdir(LOGDIR):
        return
    for f in os.listdir(LOGDIR):
        m = re.fullmatch(r"\.(?:run|term|job)-(\d+)-.+", f)
        if m:
            try:
                os.kill(int(m.group(1)), 0)
            except ProcessLookupError:
                os.remove(os.path.join(LOGDIR, f))
            except OSError:
                pass


def _run_one(name, fn):
    """Run test NAME; returns ("OK"|"SKIP"|"FAIL", the text after its name)."""
    global _current
    _clear_logs(name)
    _current = {"name": name, "runs": [], "build": 0.0}
    start = time.time()
    skip = None
    try:
        fn()
        err = None
    except Skip as e:
        err, skip = None, str(e)
    except Failure as e:
        err = str(e)
    except Exception as e:          # a bug in the test or the harness
        err = "harness error: %s: %s" % (type(e).__name__, e)
        traceback.print_exc()
    finally:
        for run in _current["runs"]:
            run.stop()
        for run in _current["runs"]:
            run.remove_disk_copy()
    took = "%.1fs" % (time.time() - start - _current["build"])
    if _current["build"] >= 0.1:
        took += ", build %.1fs" % _current["build"]
    runs, _current = _current["runs"], None
    if skip is not None:
        return "SKIP", "SKIP (%s)" % skip
    if err is None:
        return "OK", "OK (%s)" % took
    if runs:
        log = _save_logs(name, runs)
        err += "; serial log: %s, emulator log: %s" % (
            log, os.path.basename(log)[:-4] + ".emu.log")
    return "FAIL", "FAIL (%s; %s)" % (err, took)


class _Job:
    """A test run in a child process, its verdict written to a file."""

    def __init__(self, name, fn):
        self.name = name
        os.makedirs(os.path.join(ROOT, LOGDIR), exist_ok=True)
        self.out = os.path.join(ROOT, LOGDIR, ".job-%d-%s" % (os.getpid(), name))
        self.pid = os.fork()
        if self.pid == 0:
            code = 1
            try:
                fd = os.open(self.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                # Ctrl-C reaches the parent, which ends us with SIGTERM.
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, _on_signal)
                print("\n" + json.dumps(_run_one(name, fn)), flush=True)
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)

    def result(self):
        """(verdict, text) once the child is gone; its other output first."""
        try:
            with open(self.out, errors="replace") as f:
                lines = f.read().rstrip("\n").split("\n")
            os.remove(self.out)
        except OSError:
            lines = [""]
        try:
            verdict, text = json.loads(lines[-1])
        except ValueError:
            verdict, text = "FAIL", "FAIL (harness error: the test's process died)"
            lines.append("")
        extra = "\n".join(l for l in lines[:-1] if l)
        return verdict, (extra + "\n" if extra else "") + text


def _report(name, verdict, text, counts):
    print("%s: %s" % (name, text), flush=True)
    counts[verdict] += 1
    _verdicts[name] = verdict


def _run_parallel(selected, funcs, jobs, counts):
    """Up to JOBS tests at once, each in its own process, those marked
    first before the others. Verdicts are printed in the order of SELECTED."""
    pending = [n for n in selected if n in _first] + [n for n in selected if n not in _first]
    running, done, shown = {}, {}, 0
    interrupted = False
    try:
        while shown < len(selected):
            while pending and len(running) < jobs:
                name = pending.pop(0)
                job = _Job(name, funcs[name])
                running[job.pid] = name
                done[name] = job
            pid, _ = os.wait()
            name = running.pop(pid, None)
            if name is not None:
                done[name] = done[name].result()
            while shown < len(selected) and isinstance(done.get(selected[shown]), tuple):
                n = selected[shown]
                _report(n, done[n][0], done[n][1], counts)
                shown += 1
    except (KeyboardInterrupt, _Terminate):
        interrupted = True
    finally:
        # Whatever ended the loop early, no test is left running.
        for pid in running:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in running:
            os.waitpid(pid, 0)
    if interrupted:
        print("interrupted")
        sys.exit(130)


def _run_serial(selected, funcs, counts):
    for name in selected:
        print("%s: " % name, end="", flush=True)
        try:
            verdict, text = _run_one(name, funcs[name])
        except (KeyboardInterrupt, _Terminate):
            print("interrupted")
            sys.exit(130)               # _run_one's finally stopped the runs
        print(text, flush=True)
        counts[verdict] += 1
        _verdicts[name] = verdict


def main(argv=None):
    """Run the selected tests (argv, else $T; all if none), $J at a time
    (default 2), and exit."""
    argv = sys.argv[1:] if argv is None else argv
    os.chdir(ROOT)
    if "-h" in argv or "--help" in argv:
        print("usage: %s [--list] [TEST...]   (or T='TEST...' in the "
              "environment; J=N runs N tests at once)\nTEST: a name, a glob "
              "like 'boot*', or a word contained in names"
              % os.path.basename(sys.argv[0]))
        return
    if "--list" in argv:
        print("\n".join(n for n, _ in _tests))
        return
    words = re.split(r"[\s,]+", " ".join(argv) or os.environ.get("T", ""))
    selected = _select([w for w in words if w])
    njobs = jobs()
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    _remove_stale_files()
    counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
    start = time.time()
    if njobs > 1 and len(selected) > 1:
        try:
            build()                     # once, before the tests race for it
        except Failure:
            pass                        # each test then fails with the message
        _run_parallel(selected, dict(_tests), njobs, counts)
    else:
        _run_serial(selected, dict(_tests), counts)
    wall = time.time() - start
    print("grade: %d tests in %.1f s of wall time, %.2f tests/s, %.2f s per test (J=%d)"
          % (len(selected), wall, len(selected) / wall if wall else 0,
             wall / len(selected) if selected else 0, njobs))
    print("%d passed, %d failed%s" % (counts["OK"], counts["FAIL"],
                                      ", %d skipped" % counts["SKIP"] if counts["SKIP"] else ""))
    _write_verdicts()
    sys.exit(1 if counts["FAIL"] else 0)


def _write_verdicts():
    """Write {name: verdict} as JSON to the file $GRADE_VERDICTS names, if
    any: a grader run by another (the handout test) reads it, not the
    output, where a test's own messages may come between its name and
    its verdict."""
    path = os.environ.get("GRADE_VERDICTS")
    if path:
        with open(path, "w") as f:
            json.dump(_verdicts, f, indent=1)


# ---------------------------------------------------------------- building

_builds = {}           # (objdir, defs, targets) -> (product or None, message)


def build(objdir="obj", defs=""):
    """Build the kernel into OBJDIR with extra DEFS; return the image path.

    Each variant is built at most once per harness run.  A failed build makes
    the calling test fail; its output is saved as obj/grade-logs/NAME.build.log.
    """
    return _make(objdir, defs, (), os.path.join(objdir, "kern", "kernel.img"))


def build_targets(*targets, objdir="obj"):
    """Run make TARGETS (e.g. "kvm", the Linux VMM and its guests) at most
    once per harness run; a failure fails the calling test as in build()."""
    _make(objdir, "", targets, None)


class _Locked:
    """Held while building or writing an image in OBJDIR: tests running at
    once (J > 1) take turns there; a variant's build in an objdir of its
    own does not hold up tests that use obj/."""

    def __init__(self, objdir):
        self.dir = os.path.join(ROOT, objdir)

    def __enter__(self):
        os.makedirs(self.dir, exist_ok=True)
        self.f = open(os.path.join(self.dir, ".grade.lock"), "w")
        fcntl.flock(self.f, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        fcntl.flock(self.f, fcntl.LOCK_UN)
        self.f.close()


def jobs():
    """How many tests run at once, and so how many jobs a build runs ($J, default 2)."""
    return max(1, int(os.environ.get("J") or 2))


def _make(objdir, defs, targets, product):
    """make [TARGETS] in OBJDIR; PRODUCT (if given) must exist afterwards."""
    key = (objdir, defs, tuple(targets))
    if key not in _builds:
        cmd = ["make", "-s", "-j%d" % jobs(), "OBJDIR=" + objdir]
        if defs:
            cmd.append("DEFS=" + defs)
        cmd += list(targets)
        # Build as a top-level make would, even under "make grade".
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        start = time.time()
        with _Locked(objdir):
            p = subprocess.run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if _current:
            _current["build"] += time.time() - start
        out = p.stdout.decode(errors="replace")
        missing = product and not os.path.exists(os.path.join(ROOT, product))
        if p.returncode != 0 or missing:
            log = _logpath(_current["name"] if _current else "build", ".build.log")
            os.makedirs(LOGDIR, exist_ok=True)
            with open(log, "w") as f:
                f.write("$ %s\n%s" % (" ".join(map(shlex.quote, cmd)), out))
            why = ("exit status %d" % p.returncode if p.returncode
                   else "no %s" % product)
            _builds[key] = (None, "build of %s failed (%s), output in %s"
                            % (" ".join(targets) or objdir, why, log))
        else:
            _builds[key] = (product or objdir, None)
    product, msg = _builds[key]
    if product is None:
        raise Failure(msg)
    return product


def save_output(text):
    """Keep TEXT, the output of a program the running test started itself
    (not an emulator run), as obj/grade-logs/NAME.log; return that path."""
    os.makedirs(LOGDIR, exist_ok=True)
    path = _logpath(_current["name"] if _current else "output", ".log")
    with open(path, "w") as f:
        f.write(text)
    return path


def boot_image(names=(), objdir="obj", defs=""):
    """Build, then make an image whose kernel starts the user programs
    NAMES at boot (tools/runimg.py); no names: the kernel starts nothing
    and enters the monitor."""
    build(objdir, defs)
    out = os.path.join(objdir, "run", "-".join(names or ["monitor"]) + ".img")
    # Written aside, then renamed: an emulator still reading the old image
    # (another test's) keeps it.
    tmp = "%s.%d" % (out, os.getpid())
    cmd = [sys.executable, "tools/runimg.py", "--objdir", objdir,
           "--out", tmp] + list(names)
    with _Locked(objdir):
        p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT)
        if p.returncode == 0:
            os.replace(os.path.join(ROOT, tmp), os.path.join(ROOT, out))
    if p.returncode != 0:
        raise Failure("%s failed: %s" % (" ".join(cmd),
                                         p.stdout.decode(errors="replace")))
    return out


# ---------------------------------------------------------------- running

class Console:
    """What a run prints, collected as it arrives, and waits on it: the part
    shared by Run (an emulator with its COM1 on a socket) and
    termrun.TermRun (a command on a pseudo-terminal).  A subclass's start()
    calls _begin(), starts its process (self.proc) and then _watch(); its
    _reader passes the output to _add() and sets _eof at the end of it."""

    what = "process"             # in messages: "emulator exited with ..."

    def __init__(self, timeout):
        self.timeout = timeout
        self.cmd = []
        self.proc = None
        self.ended = "not started"   # why output stopped or the run ended
        self.exit_status = None      # set when the process exited
        self._out = []               # output chunks (decoded)
        self._text = ""
        self._size = 0
        self._pos = 0                # wait_for searches from here
        self._cond = threading.Condition()
        self._eof = False            # no more output will come
        self._emu_text = ""
        self._threads = []
        self.give_up = (re.compile("|".join("(?:%s)" % g for g in GIVE_UP), re.M)
                        if GIVE_UP else None)   # None: never give up
        if _current is not None:
            _current["runs"].append(self)

    def _begin(self):
        self.start_time = time.time()
        self.deadline = self.start_time + self.timeout

    def _add(self, data):
        """Append output; False once the log is too long."""
        text = data.decode("latin-1").replace("\r", "")
        with self._cond:
            self._out.append(text)
            self._text = None
            self._size += len(text)
            self._cond.notify_all()
            if self._size < LOG_LIMIT:
                return True
            self._out.append("\n[harness: output cut at %d bytes]\n" % LOG_LIMIT)
            if self.ended == "running":
                self.ended = "output exceeded %d bytes" % LOG_LIMIT
            return False

    def _watch(self):
        """The process runs: start the reader (self._reader, which the
        pipe _wake_w wakes up) and the waiter."""
        self.ended = "running"
        self._wake_r, self._wake_w = os.pipe()
        for fn in (self._reader, self._waiter):
            t = threading.Thread(target=fn, daemon=True)
            t.start()
            self._threads.append(t)

    def _waiter(self):
        status = self.proc.wait()
        with self._cond:
            self.exit_status = status
            if self.ended == "running":
                self.ended = "%s exited with status %d" % (self.what, status)
            self._cond.notify_all()

    @property
    def log(self):
        with self._cond:
            if self._text is None:
                self._text = "".join(self._out)
                self._out = [self._text]
            return self._text

    def _remaining(self, timeout):
        left = self.deadline - time.time()
        return left if timeout is None else min(timeout, left)

    def wait_for(self, regex, timeout=None):
        """Wait until REGEX matches output after the previous match.

        Works on partial lines too (the prompt has no newline).  Returns the
        match object, or None when the process exited, TIMEOUT seconds (or
        the run's deadline) passed first, or the output since the previous
        match shows a GIVE_UP line; run.ended then says which.
        """
        pat = re.compile(regex, re.M)
        end = time.time() + self._remaining(timeout)
        with self._cond:
            while True:
                m = pat.search(self.log, self._pos)
                if m:
                    self._pos = m.end()
                    return m
                if self._gave_up():
                    return None
                if self._eof and (self.exit_status is not None
                                  or self._size >= LOG_LIMIT):
                    return None
                left = end - time.time()
                if left <= 0:
                    self._timed_out(timeout, "waiting for %s" % describe(regex))
                    return None
                self._cond.wait(left)

    def _gave_up(self):
        """True if the output since the previous match has a GIVE_UP line
        (run.ended then quotes it)."""
        g = self.give_up.search(self.log, self._pos) if self.give_up else None
        if g:
            start = self.log.rfind("\n", 0, g.start()) + 1
            stop = self.log.find("\n", g.end())
            self.ended = "gave up at %r (an exercise not written yet)" % (
                self.log[start:stop if stop >= 0 else len(self.log)])
        return g is not None

    def _timed_out(self, timeout, what):
        if time.time() >= self.deadline:
            self.ended = "run timed out after %gs %s" % (self.timeout, what)
        else:
            self.ended = "timed out after %gs %s" % (timeout, what)

    def wait_exit(self, timeout=None):
        """Wait for the process to exit by itself; True if it did."""
        end = time.time() + self._remaining(timeout)
        with self._cond:
            while self.exit_status is None or not self._eof:
                left = end - time.time()
                if left <= 0:
                    self._timed_out(timeout, "waiting for the %s to exit" % self.what)
                    return False
                self._cond.wait(left)
        return True

    def emulator_output(self):
        """What the emulator wrote apart from its console (after stop())."""
        return self._emu_text

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class Run(Console):
    """One boot of IMAGE in QEMU or Bochs, talking to COM1 over TCP.

    run = Run("qemu", "obj/kern/kernel.img"); run.start()
    run.wait_for(r"K> ")          # match object, or None (see run.ended)
    run.send("help\\n"); run.wait_for(...)
    run.wait_exit(10)             # True if the emulator exited by itself
    run.stop()                    # kill it (done for you when a test ends)
    run.log                       # all serial output so far ("\\r" removed)
    """

    _count = 0
    what = "emulator"

    def __init__(self, emulator, image, cpus=1, bochs_cpu_model=None,
                 timeout=30, disk=None, copy_disk=True, qemu_cpu=QEMU_CPU,
                 qemu_args=()):
        """DISK: an image for the second IDE disk (the file system). By
        default the run gets a private copy (run.disk_path), so tests never
        change the built image; copy_disk=False uses DISK itself, e.g. a
        previous run's disk_path to test that writes persist. QEMU_CPU is
        QEMU's -cpu (by default one with SVM and nested paging); QEMU_ARGS
        are further QEMU options (make bench's -icount)."""
        if emulator not in ("qemu", "bochs"):
            raise ValueError("emulator must be 'qemu' or 'bochs'")
        super().__init__(timeout)
        self.emulator, self.image, self.cpus = emulator, image, cpus
        self.disk, self.copy_disk, self.disk_path = disk, copy_disk, None
        self.bochs_cpu_model = bochs_cpu_model
        self.qemu_cpu, self.qemu_args = qemu_cpu, list(qemu_args)
        self.killed = False          # True if stop() had to kill it
        self._conn = None
        self._emu_file = None
        self._display = None         # Bochs's (tools/bochsterm.py)
        self._boot_link = None       # Bochs's link to IMAGE

    # -- starting

    def start(self):
        self._lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._lsock.bind(("127.0.0.1", 0))
        self._lsock.listen(1)
        port = self._lsock.getsockname()[1]
        os.makedirs(os.path.join(ROOT, LOGDIR), exist_ok=True)
        Run._count += 1
        self._emu_path = os.path.join(ROOT, LOGDIR, ".run-%d-%d.emu"
                                      % (os.getpid(), Run._count))
        if self.disk:
            self.disk_path = self.disk
            if self.copy_disk:
                self.disk_path = os.path.join(LOGDIR, ".run-%d-%d.disk"
                                              % (os.getpid(), Run._count))
                shutil.copyfile(os.path.join(ROOT, self.disk),
                                os.path.join(ROOT, self.disk_path))
        if self.emulator == "qemu":
            # Tests at once boot the same image (which nothing writes).
            self.cmd = QEMU + [
                "-cpu", self.qemu_cpu, "-smp", str(self.cpus)] + self.qemu_args + [
                "-drive", "file=%s,format=raw,if=ide,index=0,file.locking=off" % self.image,
                "-serial", "tcp:127.0.0.1:%d" % port]
            if self.disk_path:
                self.cmd += ["-drive", "file=%s,format=raw,if=ide,index=1"
                             % self.disk_path]
            self._emu_file = open(self._emu_path, "w+b")
            out = err = self._emu_file
            stdin = subprocess.DEVNULL
            env = None
        else:
            # Bochs locks an image by its path (PATH.lock): each run boots
            # a link of its own, so that tests at once may boot the same one.
            self._boot_link = os.path.join(LOGDIR, ".run-%d-%d.img"
                                           % (os.getpid(), Run._count))
            link = os.path.join(ROOT, self._boot_link)
            if os.path.lexists(link):       # a killed run's, whose pid came round again
                os.remove(link)
            os.link(os.path.join(ROOT, self.image), link)
            self.cmd = BOCHS + [
                "display_library: term",
                'ata0-master: type=disk, path="%s", mode=flat' % self._boot_link,
                "com1: enabled=1, mode=socket-client, dev=127.0.0.1:%d" % port,
                "log: %s" % os.path.relpath(self._emu_path, ROOT),
                "info: action=report"]
            if self.disk_path:
                self.cmd.append('ata0-slave: type=disk, path="%s", mode=flat'
                                % self.disk_path)
            if self.bochs_cpu_model or self.cpus != 1:
                model = ("model=%s, " % self.bochs_cpu_model
                         if self.bochs_cpu_model else "")
                self.cmd.append("cpu: %scount=%d, ips=50000000, "
                                "reset_on_triple_fault=0" % (model, self.cpus))
            self._display = bochsterm.Display()
            stdin = out = err = self._display.slave
            # Without TERM the term display fails at once; the pseudo-terminal
            # is ours, so a fixed, always-installed terminal type is right.
            env = dict(os.environ, TERM=bochsterm.PLAIN_TERM)
        self._begin()
        try:
            # A session of its own: Ctrl-C at the terminal does not reach the
            # emulator (Bochs would enter its debugger), and stop() can kill
            # the whole process group.
            self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=env,
                                         stdin=stdin, stdout=out, stderr=err,
                                         start_new_session=True)
        except OSError as e:
            self.ended = "could not start %s: %s" % (self.cmd[0], e)
            self._lsock.close()
            if self._display is not None:
                self._display.close()
            if self._emu_file is not None:
                self._emu_file.close()
                os.remove(self._emu_path)
            raise Failure(self.ended)
        if self._display is not None:
            self._display.started(self.proc.pid)
        self._watch()
        return self

    def _reader(self):
        """Accept the emulator's connection and collect serial output."""
        sel = selectors.DefaultSelector()
        sel.register(self._wake_r, selectors.EVENT_READ)
        sel.register(self._lsock, selectors.EVENT_READ)
        conn = None
        try:
            while True:
                ready = [k.fileobj for k, _ in sel.select()]
                if self._wake_r in ready:
                    break                      # stop() or emulator exited
                if conn is None and self._lsock in ready:
                    conn, _ = self._lsock.accept()
                    sel.unregister(self._lsock)
                    sel.register(conn, selectors.EVENT_READ)
                    with self._cond:
                        self._conn = conn
                        self._cond.notify_all()
                elif conn is not None and conn in ready:
                    try:
                        data = conn.recv(65536)
                    except OSError:     # reset: the emulator was killed mid-write
                        break
                    if not data or not self._add(data):
                        break
            if conn is not None and self._size < LOG_LIMIT:
                # Read what is still buffered (the emulator may be gone).
                conn.setblocking(False)
                try:
                    while True:
                        data = conn.recv(65536)
                        if not data or not self._add(data):
                            break
                except OSError:
                    pass
        finally:
            sel.close()
            with self._cond:
                self._eof = True
                self._cond.notify_all()

    def _waiter(self):
        super()._waiter()
        # Once the emulator is gone, its socket is closed and the reader sees
        # EOF; if it never connected, wake the reader up.
        if self._conn is None:
            os.write(self._wake_w, b"x")

    def send(self, text):
        """Type TEXT into COM1 (waits for the emulator to connect)."""
        with self._cond:
            while self._conn is None and not self._eof:
                left = self._remaining(None)
                if left <= 0:
                    raise Failure("emulator never connected to the serial port")
                self._cond.wait(left)
            if self._conn is None:
                raise Failure("emulator exited before connecting: %s" % self.ended)
        try:
            self._conn.sendall(text.encode())
        except OSError as e:
            raise Failure("cannot type into the serial port: %s" % e)

    # -- stopping

    def remove_disk_copy(self):
        """Delete the private disk copy (and Bochs's lock on it), if any.
        Done when the test ends, not in stop(): a test may boot a second
        run on the first run's disk."""
        if self.disk_path and self.copy_disk:
            for path in (self.disk_path, self.disk_path + ".lock"):
                try:
                    os.remove(os.path.join(ROOT, path))
                except OSError:
                    pass

    def stop(self):
        """Kill the emulator if it still runs, and release everything."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.killed = True
            if self.ended == "running":
                self.ended = "stopped by the harness"
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        os.write(self._wake_w, b"x")
        for t in self._threads:
            t.join(5)
        os.close(self._wake_r)
        os.close(self._wake_w)
        if self._display is not None:
            self._display.close()
        self._lsock.close()
        if self._conn is not None:
            self._conn.close()
        if self._emu_file is not None:
            self._emu_file.close()
        try:
            with open(self._emu_path, errors="replace") as f:
                self._emu_text = f.read()
            os.remove(self._emu_path)
        except OSError:
            pass
        if self.emulator == "bochs":
            # Bochs leaves IMAGE.lock behind when killed (hence -unlock).
            for path in (self._boot_link, self._boot_link + ".lock"):
                try:
                    os.remove(os.path.join(ROOT, path))
                except OSError:
                    pass
        self.proc = None


# ---------------------------------------------------------------- checking

def describe(regex):
    """REGEX for messages: a literal in quotes, anything else as /regex/."""
    text = re.sub(r"\\(.)", r"\1", regex)
    literal = re.escape(text).replace("\\ ", " ") == regex.replace("\\ ", " ")
    return '"%s"' % text if literal else "/%s/" % regex


def expect_in_order(log, regexes):
    """None if each regex matches a line of LOG, each after the previous one;
    otherwise a message naming the first line that is missing."""
    pos = 0
    for i, regex in enumerate(regexes):
        m = re.compile(regex, re.M).search(log, pos)
        if not m:
            if i and re.compile(regex, re.M).search(log):
                return "expected %s after %s, but it came before" % (
                    describe(regex), describe(regexes[i - 1]))
            return "missing %s" % describe(regex)
        pos = m.end()
    return None


def expect_lines(log, regexes):
    """None if LOG has exactly one line per regex, each matching its regex
    (whole-line matches: write them with ^...$ or joslines.line);
    otherwise a message naming the first line that differs."""
    lines = log.rstrip("\n").split("\n") if log else []
    for i, regex in enumerate(regexes):
        if i >= len(lines):
            return "missing %s (output ended)" % describe(regex)
        if not re.search(regex, lines[i]):
            return "line %d is %r, expected %s" % (i + 1, lines[i], describe(regex))
    if len(lines) > len(regexes):
        return "unexpected line %d: %r" % (len(regexes) + 1, lines[len(regexes)])
    return None


def expect_all(log, regexes):
    """None if every regex matches somewhere in LOG (any order)."""
    for regex in regexes:
        if not re.search(regex, log, re.M):
            return "missing %s" % describe(regex)
    return None


def forbid(log, regexes):
    """None if no regex matches LOG; otherwise a message quoting the line."""
    for regex in regexes:
        m = re.search(regex, log, re.M)
        if m:
            start = log.rfind("\n", 0, m.start()) + 1
            end = log.find("\n", m.end())
            line = log[start:end if end >= 0 else len(log)]
            return "forbidden %s appeared: %r" % (describe(regex), line)
    return None


def check(*messages, run=None):
    """Raise Failure with the first non-None message (plus how RUN ended)."""
    for msg in messages:
        if msg:
            if run is not None and run.ended not in ("running",
                                                     "stopped by the harness"):
                msg += " [%s]" % run.ended
            raise Failure(msg)
