"""The two ways to boot a guest, each one QEMU run ending in an Outcome.

direct: Xen builds its initial domain from the guest image. xl: Xen boots a Linux dom0
(tests/pv-guest/dom0/) that runs `xl create` on a generated config, kept in BUILD/xl/.
"""

import base64
import gzip
import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from typing import List, Optional

from . import RunnerError, linux
from .qemu import Qemu, qemu_base, trace_share, watch, xen_cmdline
from .xenlog import XenLog

RESULT_RE = re.compile(r"^Test result: (SUCCESS|FAILURE|SKIP|ERROR)\s*$")
# Xen's TSC frequency, as it calibrated it at boot (arch/x86/time.c): turns a trace's TSC stamps
# into time.
TSC_RE = re.compile(r"^\(XEN\) Detected (\d+(?:\.\d+)?) MHz processor\.$")
XL_BOOT_ALLOWANCE = 150   # seconds for dom0 to boot, start the tools and dump the log
# xl mode: Xen's physical CPUs 0-1 are dom0's (dom0_vcpus_pin), 2-3 the guest's (its config's
# "cpus" in dom0's copy). dom0 processes crashed with corrupt memory, about 1 in 50 starts,
# whenever a running domU shared dom0's physical CPUs here, and never in 1,000 starts beside the
# same busy domU on CPUs of its own, nor without a domU (docs/runner.md).
DOM0_PCPUS = 2
GUEST_PCPUS = 2


@dataclass
class Outcome:
    status: Optional[str] = None      # a result word, or "timeout"
    diagnosis: Optional[str] = None   # why the run ended without a result, if it did
    lines: List[str] = field(default_factory=list)   # the guest's console
    seconds: float = 0.0
    # xl mode with entry.xentrace: the trace dom0 sent, or why there is none
    trace: Optional[bytes] = None
    trace_domid: Optional[int] = None
    trace_error: Optional[str] = None
    figures: List[str] = field(default_factory=list)  # key=value lines of the runner's checks
    # xl mode: how xl said the domain ended, and dom0's action and memory lines (for NAME)
    xl_end: Optional[str] = None
    dom0: List[str] = field(default_factory=list)
    # a benchmark run (Entry.phases): its phases' counts, as judge.check_phases() found them
    bench: Optional[dict] = None
    # xl mode: Xen's TSC frequency in MHz, from its boot line (None if it printed none)
    tsc_mhz: Optional[float] = None
    # what Xen printed about the guest's domain, and Xen-wide failures (runner/xenlog.py)
    xen_complaints: List[str] = field(default_factory=list)


def cpio_newc(entries):
    """An uncompressed newc archive of (path, data) pairs; data None for a directory."""
    out = bytearray()

    def pad():
        out.extend(b"\0" * (-len(out) % 4))

    for ino, (path, data) in enumerate(entries + [("TRAILER!!!", b"")], 1):
        name = path.lstrip("/").encode() + b"\0"
        mode = 0o040755 if data is None else 0o100644
        body = data or b""
        fields = (ino, mode, 0, 0, 1, 0, len(body), 0, 0, 0, 0, len(name), 0)
        out += b"070701" + b"".join(b"%08X" % f for f in fields) + name
        pad()
        out += body
        pad()
    return bytes(out)


def ramdisk_path(entry, build):
    """The entry's ramdisk as an absolute path, or None; a clear error if it was not built."""
    if not entry.ramdisk:
        return None
    path = os.path.abspath(os.path.join(build, entry.ramdisk))
    if not os.path.exists(path):
        raise RunnerError(f"test {entry.name}: ramdisk {path} not found: build it with make")
    return path


def xl_config(entry, image, ramdisk=None):
    """The entry's xl config: the runner's keys, then entry.xl's over them."""
    keys = {"name": f"pvmm-{entry.name}", "type": "pv", "kernel": image, "extra": entry.cmdline,
            "memory": entry.memory_mb, "vcpus": entry.vcpus,
            "on_poweroff": "destroy", "on_reboot": "destroy", "on_crash": "destroy"}
    if ramdisk:
        keys["ramdisk"] = ramdisk
    keys.update(entry.xl)
    return "\n".join([f"# pvmm test {entry.name}: boots on any Xen host with `xl create` as it is"] +
                     [f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v}" for k, v in keys.items()] +
                     [""])


def xl_job(entry, image, build):
    """Write the entry's xl config to BUILD/xl/NAME.cfg: (its text, the ramdisk's path or None,
    the test's work folder BUILD/tests/NAME)."""
    workdir = os.path.join(build, "tests", entry.name)
    os.makedirs(workdir, exist_ok=True)
    os.makedirs(os.path.join(build, "xl"), exist_ok=True)
    ramdisk = ramdisk_path(entry, build)
    cfg = xl_config(entry, image, ramdisk)
    with open(os.path.join(build, "xl", entry.name + ".cfg"), "w") as f:
        f.write(cfg)
    return cfg, ramdisk, workdir


def job_files(entry, cfg):
    """The entry's job for dom0/xl-jobs, as (file name, contents) pairs (the contract is at the
    top of xl-jobs): in QEMU's dom0 under /jobs/ (xl mode), on a real host in a folder of
    BUILD/tests/NAME/ (host mode). CFG is the config's text."""
    name = entry.name
    files = [(f"{name}.cfg", cfg.encode()), (f"{name}.timeout", b"%d\n" % entry.timeout)]
    if entry.xentrace:
        files.append((f"{name}.xentrace", b""))
    if entry.dom0_actions:
        files.append((f"{name}.actions",
                      "".join(f"{marker}\t{command}\n" for marker, command in entry.dom0_actions).encode()))
    if entry.memory_back:
        files.append((f"{name}.memory", b""))
    return files


def run_one(entry, build, xen, image, dom0):
    """Boot the entry's guest once, its serial line logged in BUILD/logs/NAME.log; xl mode's
    dom0 kernel and initramfs are in the folder DOM0."""
    if entry.mode == "xl":
        outs, log_path = run_group([entry], build, xen, image, dom0)
        return outs[0], log_path
    log_path = os.path.join(build, "logs", entry.name + ".log")
    start = time.monotonic()
    with open(log_path, "w") as log:
        log.write(f"# xen: {xen.describe()}\n")
        out = run_direct(entry, image, xen, log, ramdisk_path(entry, build))
    out.seconds = time.monotonic() - start
    return out, log_path


def run_group(entries, build, xen, image, dom0, log_name=None):
    """xl mode: boot Xen and dom0 once and run the ENTRIES' guests one after the other (the
    repeats of a benchmark run: one dom0 boot for all), the serial line logged in
    BUILD/logs/LOG_NAME.log (default: the first entry's name). An Outcome per entry, and the
    log's path; each Outcome's seconds are the whole boot's."""
    log_path = os.path.join(build, "logs", (log_name or entries[0].name) + ".log")
    start = time.monotonic()
    with open(log_path, "w") as log:
        log.write(f"# xen: {xen.describe()}\n")
        outs = run_xl(entries, image, xen, build, log, dom0)
    for out in outs:
        out.seconds = time.monotonic() - start
    return outs, log_path


def guest_image(entry, image, dom0, build):
    """The kernel an xl-mode entry boots: pvmm's IMAGE, or its Linux's ELF, which the runner
    fetched and unpacked from the bzImage into BUILD before the runs (runner/linux.py)."""
    if entry.kernel != "linux":
        return image
    return os.path.abspath(linux.unpack(entry.linux, dom0, build))


def run_direct(entry, image, xen, log, ramdisk=None):
    out = Outcome()
    if "," in entry.cmdline:
        raise RunnerError(f"test {entry.name}: a guest command line cannot hold ',' in direct mode")
    # Multiboot modules, comma-separated: the guest image with its command line, then its ramdisk.
    modules = f"{image} {entry.cmdline}" + (f",{ramdisk}" if ramdisk else "")
    cmd = qemu_base(xen, 512, "max", entry.host_cpus) + [
        "-initrd", modules,
        "-append", xen_cmdline(xen, entry, f"console=com1 dom0_mem={entry.memory_mb}M,max:{entry.memory_mb}M "
                                           f"dom0_max_vcpus={entry.vcpus}")]
    qemu = Qemu(cmd, log)
    xen_log = XenLog("direct", entry.name)
    out.xen_complaints = xen_log.complaints

    def on_line(line):
        xen_log.feed(line)
        if line.startswith("(XEN)"):
            return False
        out.lines.append(line)
        m = RESULT_RE.match(line)
        if m:
            out.status = m.group(1)
        return bool(m)

    try:
        out.diagnosis = watch(qemu, time.monotonic() + entry.timeout, on_line)
        if out.status is None and out.diagnosis is None:
            qemu.dump_state(b"rq")
    finally:
        qemu.stop()
    if out.status is None and out.diagnosis is None:
        out.status = "timeout"
        out.diagnosis = (f"timeout after {entry.timeout} s: the guest never printed a result line"
                         " (its vCPUs' state is at the end of the log)")
    return out


def run_xl(entries, image, xen, build, log, dom0):
    first = entries[0]
    outs, jobs, files = [], [("jobs", None)], {}
    for entry in entries:
        kernel = guest_image(entry, image, dom0, build)
        cfg, ramdisk, workdir = xl_job(entry, kernel, build)
        # The image goes into dom0 at the path the config names; dom0's copy of the config keeps
        # the guest off dom0's physical CPUs (the one in BUILD/xl/ stays as any host can use it).
        job_cfg = cfg + f'cpus = "{DOM0_PCPUS}-{DOM0_PCPUS + GUEST_PCPUS - 1}"\n'
        jobs += [(f"jobs/{f}", data) for f, data in job_files(entry, job_cfg)]
        for path in [kernel] + ([ramdisk] if ramdisk else []):
            files.setdefault(path, None)
        outs.append((entry, Outcome(), workdir))
    folders = set()
    for path in files:
        parts = path.strip("/").split("/")
        for i in range(1, len(parts)):
            if "/".join(parts[:i]) not in folders:
                folders.add("/".join(parts[:i]))
                jobs.append(("/".join(parts[:i]), None))
        with open(path, "rb") as f:
            jobs.append((path, f.read()))
    workdir = outs[0][2]
    initrd = os.path.join(workdir, "dom0.initrd")
    with open(os.path.join(dom0, "initramfs.cpio.gz"), "rb") as base, open(initrd, "wb") as f:
        data = base.read()
        # Linux looks for the next archive at a 4-byte aligned offset.
        f.write(data + b"\0" * (-len(data) % 512))
        f.write(cpio_newc(jobs))

    # One host thread for all of QEMU's CPUs: with a thread each, dom0's work crawled beside a
    # busy guest (12 process starts a minute against 500), as every flush Xen makes waits for
    # all of QEMU's CPU threads to stop on 2 host cores. The guest's own races are the direct
    # mode's tests; xl mode tests the toolstack's requests. dom0's kernel is the ELF inside its
    # bzImage (runner/linux.py): Xen decompressed the bzImage's xz for 9 to 21 s at every boot.
    share = os.path.join(workdir, "out")
    dom0_kernel = os.path.abspath(linux.unpack("6.1", dom0, build))
    cmd = qemu_base(xen, 1024, "max,-smap,-smep,-pku", DOM0_PCPUS + GUEST_PCPUS, "single") + [
        # loglevel=5, not quiet: a soft lockup's backtrace (KERN_DEFAULT) reaches the log.
        "-initrd", f"{dom0_kernel} console=hvc0 earlyprintk=xen loglevel=5,{initrd}",
        "-append", xen_cmdline(xen, first, f"console=com1 dom0_mem=512M,max:512M "
                                           f"dom0_max_vcpus={DOM0_PCPUS} dom0_vcpus_pin")
    ] + trace_share(share)
    qemu = Qemu(cmd, log)
    reports, xen_logs = [], []
    for entry, out, workdir in outs:
        reports.append(XlReport(entry, out, workdir, share))
        xen_logs.append(XenLog("xl", entry.name))
        out.xen_complaints = xen_logs[-1].complaints
    tsc_mhz = []

    def on_line(line):
        m = TSC_RE.match(line)
        if m:
            tsc_mhz.append(float(m.group(1)))
        for xen_log in xen_logs:
            xen_log.feed(line)   # every line: it follows the begin and end lines itself
        done = [report.on_line(line) for report in reports]
        return any(done)

    limit = sum(e.timeout for e in entries) + XL_BOOT_ALLOWANCE
    try:
        diagnosis = watch(qemu, time.monotonic() + limit, on_line)
        if diagnosis is None and not all(r.ended for r in reports):
            qemu.dump_state(b"rqd")  # dom0 or the domU never ended: where every vCPU is
    finally:
        qemu.stop()
    for report, (entry, out, _) in zip(reports, outs):
        out.tsc_mhz = tsc_mhz[0] if tsc_mhz else None
        report.finish(diagnosis, f"dom0 never reported the guest's end within {limit} s"
                                 " (every vCPU's registers and stack are at the end of the log)")
    return [out for _, out, _ in outs]


class XlReport:
    """What dom0/xl-jobs reports on one job, read line by line into an Outcome: the begin and
    end lines, the guest's console between them, dom0's xl, action and memory lines, the trace
    block. The same handler reads xl mode's serial line (Xen's own lines in between) and host
    mode's pipe from xl-jobs, so both judge the same report the same way."""

    def __init__(self, entry, out, workdir, share=None):
        self.name = entry.name
        self.share = share              # xl mode's trace share (QEMU's 9p folder)
        self.timeout = entry.timeout
        self.out = out
        self.workdir = workdir          # the trace is kept there
        self.in_guest = False           # between the begin and end lines
        self.xl_status = None           # the end line's status
        self.trace = None               # the trace block's lines while it comes
        self.trace_head = None

    @property
    def ended(self):
        """dom0 said how the domain ended, or the guest printed its result."""
        return self.xl_status is not None or self.out.status is not None

    def on_line(self, line):
        """One line of the report; True once it is over (done, or dom0's toolstack failed)."""
        out, name = self.out, self.name
        if self.trace is not None:
            if line == f"PVMM-XL: xentrace-end {name}":
                out.trace_error = decode_trace(out, self.trace_head, self.trace, self.workdir)
                self.trace = None
                return False
            if not line.startswith("PVMM-XL: "):
                if not line.startswith("(XEN)"):   # Xen's own console lines come in between
                    self.trace.append(line)
                return False
            out.trace_error = "the trace ended without its xentrace-end line"
            self.trace = None
        if line.startswith(f"PVMM-XL: xentrace-file {name} "):
            out.trace_error = read_trace_file(out, line, self.share, self.workdir)
            return False
        if line.startswith(f"PVMM-XL: xentrace-begin {name} "):
            self.trace, self.trace_head = [], line
            return False
        if line.startswith(f"PVMM-XL: xentrace-error {name} "):
            out.trace_error = "dom0: " + line.split(" ", 3)[3]
            return False
        if line.startswith("PVMM-XL: error"):
            out.diagnosis = "dom0 toolstack did not come up: " + line.split(":", 2)[2].strip()
            return True
        if line == f"PVMM-XL: begin {name}":
            self.in_guest = True
        elif line.startswith(f"PVMM-XL: end {name} status="):
            self.in_guest = False
            self.xl_status = line.split("status=", 1)[1]
        elif line.startswith("PVMM-XL: xl: "):
            out.lines.append(line)
        elif line.startswith((f"PVMM-XL: action {name} ", f"PVMM-XL: action-output {name} ",
                              f"PVMM-XL: action-error {name}: ", f"PVMM-XL: memory {name} ")):
            out.dom0.append(line[len("PVMM-XL: "):])
        elif line == "PVMM-XL: done":
            return True
        elif self.in_guest:
            out.lines.append(line)
            m = RESULT_RE.match(line)
            if m:
                out.status = m.group(1)
        return False

    def finish(self, diagnosis, unreported):
        """The Outcome's ending once the lines stopped. DIAGNOSIS: why they stopped early, if
        they did (None: the done line, or the deadline); UNREPORTED: what to say when dom0
        never sent the end line."""
        out = self.out
        if self.trace is not None:
            out.trace_error = "the trace ended without its xentrace-end line"
        xl_status = out.xl_end = self.xl_status
        if xl_status == "timeout":
            out.status = "timeout"
            out.diagnosis = f"timeout after {self.timeout} s: the domU never printed a result line"
        elif out.diagnosis is None and out.status is None:
            if diagnosis:
                out.diagnosis = diagnosis
            elif xl_status == "create-failed":
                out.diagnosis = "xl create failed: " + next((l[13:] for l in out.lines if l.startswith("PVMM-XL: xl: ")), "(no message)")
            elif xl_status:
                out.diagnosis = f"the domU ended ({xl_status}) without printing a result line"
            else:
                out.diagnosis = unreported


def read_trace_file(out, line, share, workdir):
    """Take the trace dom0 wrote to the SHARE (SHARE/NAME.xentrace) as WORKDIR/xentrace.bin;
    None, or why it is unusable."""
    m = re.match(r"^PVMM-XL: xentrace-file (\S+) domid=(\d+|\?) bytes=(\d+)$", line)
    if not m:
        return "malformed xentrace-file line: " + line
    if share is None:
        return "dom0 wrote the trace to a share this run has none of: " + line
    path = os.path.join(share, m.group(1) + ".xentrace")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return f"dom0 said it wrote the trace to the share, but {path} cannot be read ({e.strerror})"
    if len(data) != int(m.group(3)):
        return f"the trace on the share is {len(data)} bytes, dom0 wrote {m.group(3)}"
    os.replace(path, os.path.join(workdir, "xentrace.bin"))
    out.trace = data
    out.trace_domid = None if m.group(2) == "?" else int(m.group(2))
    return None


def decode_trace(out, head, lines, workdir):
    """Check and keep the trace block dom0 sent; None, or why it is unusable."""
    m = re.match(r"^PVMM-XL: xentrace-begin \S+ domid=(\d+|\?) bytes=(\d+) sha256=([0-9a-f]{64})$", head)
    if not m:
        return "malformed xentrace-begin line: " + head
    try:
        data = gzip.decompress(base64.b64decode("".join(lines), validate=True))
    except (ValueError, OSError, EOFError) as e:
        return f"the trace did not survive the serial line ({e})"
    if len(data) != int(m.group(2)) or hashlib.sha256(data).hexdigest() != m.group(3):
        return f"the trace did not survive the serial line ({len(data)} bytes, dom0 sent {m.group(2)})"
    with open(os.path.join(workdir, "xentrace.bin"), "wb") as f:
        f.write(data)
    out.trace = data
    out.trace_domid = None if m.group(1) == "?" else int(m.group(1))
    return None
