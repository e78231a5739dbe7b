"""Host mode (`run --host`): the xl-mode tests on a real Xen host, through its own toolstack.

The runner runs as root in dom0 of a Xen machine; no QEMU. For each test it writes the job that
xl mode ships into QEMU's dom0 (modes.job_files, the config without the QEMU-only `cpus` key)
to BUILD/tests/NAME/host-jobs/, runs dom0/xl-jobs on it (the very script the QEMU dom0's /init
runs) and reads its report with xl mode's handler (modes.XlReport): the same lines, judged the
same way. The guest's console comes from the host's xenconsoled, which must log guest consoles
(--log=guest or all), without timestamps. Tests run one at a time: one Xen, whose trace
buffers and free memory every job's checks read.
"""

import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

from . import RunnerError
from .modes import Outcome, XlReport, job_files, xl_job
from .xen import Xen

XL_JOBS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dom0", "xl-jobs"))
# Past the test's own timeout (xl-jobs destroys the domain then): its action report (up to
# 30 s), the memory check (up to 60 s) and the trace's encoding.
HOST_ALLOWANCE = 120
CONSOLED_LOG_DIR = "/var/log/xen/console"   # xenconsoled's default --log-dir (XEN_LOG_DIR/console)


@dataclass
class Host:
    consoled_pid: int     # xenconsoled: xl-jobs waits for it to close a guest's log
    log_dir: str          # where it writes guest-DOMNAME.log
    kernel: str           # this dom0's own kernel: the `kernel="linux"` tests boot it as a domU


def check(named):
    """This host's Xen (a runner/xen.py Xen, from xl info) and its Host, or a one-line
    refusal: not root, no xl, no Xen running, xenconsoled not logging guest consoles, or a
    direct-mode test among the NAMED entries."""
    direct = next((e.name for e in named if e.mode != "xl"), None)
    if direct:
        raise RunnerError(f"test '{direct}' is a direct-mode test (Xen boots it as its initial domain, "
                          "which needs QEMU): --host runs xl-mode tests only; run it without --host")
    if not shutil.which("xl"):
        raise RunnerError("xl not found: --host runs in dom0 of a Xen host with its toolstack installed "
                          "(Debian: xen-utils-4.17); elsewhere run the tests without --host, under QEMU")
    if os.geteuid() != 0:
        raise RunnerError("--host needs root: xl drives Xen through /dev/xen and xenstored; run it as root "
                          "(or with sudo)")
    info = xl_info()
    return host_xen(info), Host(*consoled(), f"/boot/vmlinuz-{os.uname().release}")


def xl_info():
    """`xl info` as a dict; a refusal when it fails (no Xen running, or not its dom0)."""
    r = subprocess.run(["xl", "info"], capture_output=True, text=True)
    if r.returncode:
        why = (r.stderr.strip().splitlines() or ["no message"])[-1]
        raise RunnerError(f"xl info failed ({why}): --host runs in dom0 of a running Xen host")
    info = {}
    for line in r.stdout.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            info[key.strip()] = value.strip()
    return info


def host_xen(info):
    """The running hypervisor, described as runner/xen.py describes a booted one."""
    caps = info.get("virt_caps")
    return Xen("host", "xl info", "", "the hypervisor this host runs", info.get("xen_version"), None,
               None if caps is None else "shadow" in caps.split(), None, info.get("xen_changeset"))


def consoled():
    """(pid, log dir) of this host's xenconsoled, or a refusal saying how to start it as host
    mode needs it."""
    for pid in sorted(int(p) for p in os.listdir("/proc") if p.isdigit()):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "xenconsoled":
                    continue
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")[:-1]
        except OSError:
            continue
        if not argv:
            continue     # exiting: a zombie has no command line
        log, log_dir, stamp = consoled_options(argv)
        if log not in ("guest", "all"):
            raise RunnerError(f"xenconsoled (pid {pid}) does not log guest consoles, which --host reads: "
                              "restart it with --log=guest (Debian 12: XENCONSOLED_ARGS=\"--log=guest\" in "
                              "/etc/default/xen, then service xen restart)")
        if stamp in ("guest", "all"):
            raise RunnerError(f"xenconsoled (pid {pid}) timestamps guest console lines (--timestamp={stamp}): "
                              "--host needs them as the guest wrote them; restart it without")
        # Resolved: xl-jobs looks for the log among xenconsoled's open files, which /proc names
        # by their real path.
        return pid, os.path.realpath(log_dir)
    raise RunnerError("xenconsoled is not running: --host needs the Xen daemons up "
                      "(Debian 12: service xen start)")


def consoled_options(argv):
    """(--log, --log-dir, --timestamp) from xenconsoled's command line, as its getopt_long reads
    it (tools/console/daemon/main.c): "--opt=V" or "--opt V", -t for --timestamp."""
    opts = {"--log": "none", "--log-dir": CONSOLED_LOG_DIR, "--timestamp": "none"}
    args = iter(argv[1:])
    for a in args:
        if a.startswith("-t") and not a.startswith("--"):
            a = "--timestamp=" + (a[2:] or next(args, ""))
        key, eq, value = a.partition("=")
        if key in opts:
            opts[key] = value if eq else next(args, "")
    return opts["--log"], opts["--log-dir"], opts["--timestamp"]


def skip_reason(entry, host):
    """Why host mode skips ENTRY, or None."""
    if entry.mode != "xl":
        return "direct mode (Xen boots the guest as its initial domain): needs QEMU, run without --host"
    if entry.kernel == "linux" and entry.linux != "6.1":
        return (f"boots Debian's Linux {entry.linux} (runner/linux.py), which the QEMU runner fetches; "
                "host mode boots this dom0's own kernel")
    if entry.kernel == "linux" and not os.path.exists(host.kernel):
        return f"boots this dom0's own kernel as a domU, and {host.kernel} is not there"
    return None


def run_one(entry, build, xen, image, host):
    """Run the entry's job on this host with dom0/xl-jobs, its output logged in
    BUILD/logs/NAME.log: (Outcome, the log's path)."""
    log_path = os.path.join(build, "logs", entry.name + ".log")
    start = time.monotonic()
    with open(log_path, "w") as log:
        log.write(f"# xen: {xen.describe()}\n")
        out = run_host(entry, host.kernel if entry.kernel == "linux" else image, build, log, host)
    out.seconds = time.monotonic() - start
    return out, log_path


def run_host(entry, image, build, log, host):
    out = Outcome()
    cfg, _, workdir = xl_job(entry, image, build)
    jobs, state = os.path.join(workdir, "host-jobs"), os.path.join(workdir, "host-state")
    for d in (jobs, state):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    for name, data in job_files(entry, cfg):
        with open(os.path.join(jobs, name), "wb") as f:
            f.write(data)
    cmd = [XL_JOBS, jobs, host.log_dir, state, str(host.consoled_pid)]
    report = XlReport(entry, out, workdir)
    limit = entry.timeout + HOST_ALLOWANCE
    code = follow(cmd, log, time.monotonic() + limit, report.on_line)
    if code is None:
        # xl-jobs outlived its bound: nothing of this test may stay behind on the host.
        name = entry.xl.get("name", f"pvmm-{entry.name}")   # as xl_config names it
        for dom in (name, f"{name}--incoming"):
            subprocess.run(["xl", "destroy", dom], capture_output=True)
    diagnosis = None
    if code not in (None, 0) and not report.ended:
        diagnosis = f"xl-jobs exited with status {code} before reporting the guest's end (see the log)"
    report.finish(diagnosis, f"xl-jobs never reported the guest's end within {limit} s (stopped, its domains destroyed)")
    return out


def follow(cmd, log, deadline, on_line):
    """Run CMD, its output (stderr too, as on dom0's console) logged and fed line by line to
    ON_LINE until it returns True or the output ends; its exit status, or None when the
    DEADLINE passed first. Whatever CMD started and left running is killed then."""
    log.write("# " + " ".join(cmd) + "\n")
    log.flush()
    try:
        # A session of its own: xl-jobs leaves xl, xentrace and actions in the background.
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        raise RunnerError(f"cannot start {cmd[0]}: {e}")
    lines = queue.Queue()

    def read():
        for raw in proc.stdout:
            lines.put(raw.decode("utf-8", "replace").rstrip("\r\n"))
        lines.put(None)
    threading.Thread(target=read, daemon=True).start()
    late = False
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            late = True
            log.write("# the deadline passed: stopped\n")
            break
        if line is None:
            break
        log.write(line + "\n")
        log.flush()
        if on_line(line):
            break
    if late:
        os.killpg(proc.pid, signal.SIGKILL)
    code = proc.wait()
    try:
        os.killpg(proc.pid, signal.SIGKILL)   # an action still running after the report
    except ProcessLookupError:
        pass
    return None if late else code
