"""QEMU on a pipe: the QEMU command line of a Xen (runner/xen.py), and every ending of a
run that Xen or QEMU reports."""

import os
import queue
import shutil
import subprocess
import threading
import time

from . import RunnerError

QEMU = "qemu-system-x86_64"
XEN_START_LIMIT = 60      # seconds for Xen's first line of output
# What Qemu.next_line() returns when its deadline passes: not "", which is an empty line.
DEADLINE = object()
# On Xen's command line, always: its local APIC timer counts down (one-shot mode) instead of
# using the TSC deadline. Under QEMU's TCG, with the host busy, Xen's CPUs stopped taking timer
# interrupts for minutes with the deadline timer (2 dom0 boots of 30 beside a CPU hog), and
# never in 72 boots with tdt=0 (docs/runner.md, "When a run hangs").
XEN_TIMER_OPTIONS = "tdt=0"
DOM0_SCRIPT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dom0",
                                            "build-initramfs.sh"))


# The Xen series whose toolstack dom0/build-initramfs.sh puts into xl mode's dom0: Debian 12's
# 4.17 (this machine's own), Debian 13's 4.20 (fetched through scripts/apt-private).
DOM0_SERIES = ("4.17", "4.20")


def dom0_folder(dom0, series):
    """The dom0 folder for a toolstack series: DOM0 itself for 4.17 (the default, BUILD/dom0),
    its sibling DOM0-xenSERIES for any other (BUILD/dom0-xen4.20): one cached build each."""
    return dom0 if series == "4.17" else f"{dom0}-xen{series}"


def check_host(need_xl, dom0, xen):
    """QEMU is there, and for xl mode the dom0 whose toolstack matches XEN (built if missing):
    the folder of its kernel and initramfs."""
    if not shutil.which(QEMU):
        raise RunnerError(f"{QEMU} not found: install qemu-system-x86 (scripts/setup.sh does)")
    if not need_xl:
        return dom0
    series = xen.series
    if series not in DOM0_SERIES:
        raise RunnerError(f"xl mode needs dom0 tools matching Xen {series or '(version unknown)'}; "
                          f"pvmm's dom0 has those of Xen {' and '.join(DOM0_SERIES)} only: "
                          "run the direct-mode tests, or pick a Xen of those series")
    folder = dom0_folder(dom0, series)
    cmd = [DOM0_SCRIPT, folder] + ([] if series == "4.17" else [series, os.path.join(xen.cache, "apt")])
    if subprocess.run(cmd).returncode:
        raise RunnerError(f"could not build the dom0 initramfs of Xen {series}'s toolstack "
                          "(see the message above)")
    return folder


class Qemu:
    """QEMU on a pipe, read line by line against a deadline."""

    def __init__(self, cmd, log):
        self.log = log
        log.write("# " + " ".join(cmd) + "\n")
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT)
        except OSError as e:
            raise RunnerError(f"cannot start {cmd[0]}: {e}")
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        """Queue QEMU's lines. Xen's console can cut into a line dom0 is writing: Xen 4.20
        printed "(XEN) uart interrupt taking more than 15ms, switched to polling" in the middle
        of a line of a trace's base64, whose rest came as the next line. Xen's line is taken
        out and the two halves of the other joined again."""
        cut = ""
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n").replace("\r", "")
            xen = line.find("(XEN) ")
            if xen > 0:
                cut += line[:xen]
                line = line[xen:]
            elif cut and not line.startswith("(XEN)"):
                line, cut = cut + line, ""
            self.lines.put(line)
        if cut:
            self.lines.put(cut)
        self.lines.put(None)

    def next_line(self, deadline):
        """The next line; DEADLINE when the deadline passed; None when QEMU has exited."""
        try:
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return DEADLINE
        if line is not None:
            self.log.write(line + "\n")
            self.log.flush()
        return line

    def dump_state(self, keys=b"rq", seconds=3.0):
        """Ask Xen for every domain's state before giving up on a run: CTRL-a three times
        gives the serial line to Xen, then its debug keys: 'r' dumps Xen's run queues (a
        runnable vCPU that no physical CPU runs shows there), 'q' dumps the domains and raises
        VIRQ_DEBUG, which pvmm answers with each vCPU's scheduler and TLB state; 'd' dumps
        every vCPU's registers and guest stack (where a hung dom0 Linux is)."""
        try:
            self.proc.stdin.write(b"\x01\x01\x01" + keys)
            self.proc.stdin.flush()
        except OSError:
            return
        until = time.monotonic() + seconds
        while self.next_line(until) not in (DEADLINE, None):
            pass

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        return self.proc.returncode


def xen_cmdline(xen, entry, options):
    """Xen's command line: the mode's OPTIONS, then the timer's, XEN_ARGS, the test's own."""
    return " ".join(o for o in (options, XEN_TIMER_OPTIONS, xen.args, entry.xen_args) if o)


def qemu_base(xen, memory_mb, cpu, cpus=2, tcg_thread="multi"):
    """tcg_thread: "multi", a host thread per CPU (the guest's vCPUs truly race each other),
    or "single", every CPU in turn on one host thread (xl mode: docs/runner.md)."""
    return [QEMU, "-accel", f"tcg,thread={tcg_thread}", "-cpu", cpu, "-m", str(memory_mb), "-smp", str(cpus),
            "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
            "-kernel", xen.elf]


# The tag of xl mode's trace share: dom0/init mounts it, and xl-jobs writes each xentrace file
# there instead of sending it over the serial line (minutes for a Linux guest's trace).
TRACE_SHARE_TAG = "pvmm-out"


def trace_share(folder):
    """QEMU's options for a virtio 9p share of FOLDER (made empty) as TRACE_SHARE_TAG."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    return ["-fsdev", f"local,id=pvmmout,path={folder},security_model=none",
            "-device", f"virtio-9p-pci,fsdev=pvmmout,mount_tag={TRACE_SHARE_TAG}"]


def xen_failure(line):
    """A one-line diagnosis when Xen itself reports that the run is over."""
    if "Panic on CPU" in line:
        return "Xen panicked (see the log)"
    if "Could not set up DOM0 guest OS" in line or "Kernel does not support Dom0" in line:
        return "Xen could not build the initial domain from the guest image: " + line
    if "Dom0 crashed" in line or "Domain 0 crashed" in line:
        return "the guest crashed without printing a result line"
    return None


def watch(qemu, deadline, on_line):
    """Feed lines to on_line until it returns True; diagnose every other ending."""
    started = time.monotonic()
    xen_seen = False
    tail = []
    while True:
        limit = deadline if xen_seen else min(deadline, started + XEN_START_LIMIT)
        line = qemu.next_line(limit)
        if line is None:
            code = qemu.stop()
            if not xen_seen:
                return f"QEMU exited (status {code}) before Xen started: " + (tail[-1] if tail else "no output")
            return "QEMU exited before a result: " + (tail[-1] if tail else "no output")
        if line is DEADLINE:
            if not xen_seen:
                return f"Xen did not start: no output from the hypervisor within {XEN_START_LIMIT} s"
            return None   # the deadline: the caller reports the timeout
        tail = (tail + [line])[-5:]
        xen_seen = xen_seen or line.startswith("(XEN)") or line.startswith(" Xen ")
        if on_line(line):
            return None
        if line.startswith("(XEN)"):
            problem = xen_failure(line)
            if problem:
                return problem
