"""Judging an Outcome against its Entry, and the TAP report of the verdicts (kept for JUnit)."""

import re
import sys
import threading
from dataclasses import dataclass, field
from typing import List, Optional

from . import xenalyze, xentrace

KERNEL_BUG = ("BUG:", "FATAL:")   # a broken kernel invariant, an unexpected trap
REPORTED = ("FAIL:", "FATAL:", "BUG:", "CHECK:", "hypercall failed:", "pvmm:")


def check_xentrace(out, xenalyze_path):
    """Compare the guest's printed counters with Xen's trace, and the runner's reading of the
    trace with xenalyze's (runner/xenalyze.py), if it is given; None, or who disagrees."""
    if out.trace is None:
        return "no xentrace data from dom0" + (f": {out.trace_error}" if out.trace_error else "")
    try:
        t = xentrace.Trace(out.trace)
        problem, figures = xentrace.compare(out.lines, t, out.trace_domid)
        out.figures += figures
        if xenalyze_path:
            second, figures = xenalyze.compare(xenalyze_path, out.trace, t,
                                               xentrace.guest_domain(t, out.trace_domid))
            out.figures += figures
            problem = "; ".join(p for p in (problem, second) if p) or None
    except xentrace.TraceError as e:
        return f"xentrace: {e}"
    return problem


PHASE_RE = re.compile(r"^bench: phase (\d+) (\w+) iterations=(\d+)$")
IPIS_RE = re.compile(r"^bench: phase (\d+) ipis_sent=(\d+)$")   # pvmm only (phases.h)
ALLOCATED_RE = re.compile(r"^bench: phase (\d+) pages_allocated=(\d+)$")   # pvmm only
TOUCHED_RE = re.compile(r"^bench: phase (\d+) pages_touched=(\d+)$")   # where the program says
MARKER_BASE = 0x500000000000     # user/include/bench_markers.h


def check_phases(out):
    """Split Xen's trace of the guest into the benchmark's phases; None, or why it cannot.

    Phase k is the window between marker faults 2k and 2k + 1; the phases named "marker" (the
    first and the last) do nothing, so the lower of their counts, counter by counter, is what a
    marker costs, taken off every other phase before dividing by the iterations. The workload runs on vCPU 0; what the other vCPUs did in the window (a remote
    flush, their timer ticks while idle) is kept apart. The window's length is the TSC between
    its two marker faults, the marker's own taken off the same way. Figures:
    phase.NAME.{hypercalls,multicall_entries,faults,ptwr,privop} (every vCPU),
    phase.NAME.hypercalls_vcpu0, phase.NAME.tsc_ticks (when the trace holds both markers) and
    phase.NAME.ipis and phase.NAME.pages_allocated when the kernel counted them (pvmm), and
    the phase's pages_touched (one run of its operation) when the program gives it."""
    if out.trace is None:
        return "no xentrace data from dom0" + (f": {out.trace_error}" if out.trace_error else "")
    listed = [(int(m.group(1)), m.group(2), int(m.group(3)))
              for m in (PHASE_RE.match(l) for l in out.lines) if m]
    if not listed:
        return ("the guest printed no 'bench: phase K NAME iterations=N' lines: a workload names its "
                "phases as tests/pv-guest/bench/phases.h does (docs/bench.md)")
    try:
        counts, lost, stamps = xentrace.phase_counts(out.trace, out.trace_domid, MARKER_BASE, 2 * len(listed))
    except xentrace.TraceError as e:
        return f"xentrace: {e}"
    if lost:
        return f"xentrace lost {lost} records (trace buffer full): the phases are incomplete"
    names = {nr: name for name, nr in xentrace.hypercall_numbers().items()}
    windows = {k for k, _ in counts}
    missing = [name for k, name, _ in listed if 2 * k not in windows]
    if missing:
        return f"no marker fault of the guest starts phase(s) {', '.join(missing)} in the trace"

    def totals(window, vcpus=None):
        cs = [c for (k, v), c in counts.items() if k == window and (vcpus is None or v in vcpus)]
        t = {"hypercalls": 0, "multicall_entries": 0, "faults": 0, "ptwr": 0, "privop": 0,
             "by_call": {}, "by_entry": {}}
        for c in cs:
            t["hypercalls"] += sum(c.calls.values())
            t["multicall_entries"] += sum(c.entries.values())
            t["faults"] += c.faults
            t["ptwr"] += c.ptwr
            t["privop"] += c.privop
            for op, n in c.calls.items():
                t["by_call"][names.get(op, str(op))] = t["by_call"].get(names.get(op, str(op)), 0) + n
            for op, n in c.entries.items():
                t["by_entry"][names.get(op, str(op))] = t["by_entry"].get(names.get(op, str(op)), 0) + n
        return t

    ipis = {int(m.group(1)): int(m.group(2)) for m in (IPIS_RE.match(l) for l in out.lines) if m}
    allocated = {int(m.group(1)): int(m.group(2)) for m in (ALLOCATED_RE.match(l) for l in out.lines) if m}
    touched = {int(m.group(1)): int(m.group(2)) for m in (TOUCHED_RE.match(l) for l in out.lines) if m}
    markers = [k for k, name, _ in listed if name == "marker"]
    if not markers:
        return "the guest printed no 'marker' phase: nothing to take a marker's cost from"
    keys = ("hypercalls", "multicall_entries", "faults", "ptwr", "privop")
    base = {key: min(totals(2 * k)[key] for k in markers) for key in keys}
    base["hypercalls_vcpu0"] = min(totals(2 * k, {0})["hypercalls"] for k in markers)
    base["ipis"] = min((ipis[k] for k in markers if k in ipis), default=0)
    base["pages_allocated"] = min((allocated[k] for k in markers if k in allocated), default=0)

    def ticks(k):
        return stamps[2 * k + 1] - stamps[2 * k] if 2 * k + 1 in stamps else None

    base["tsc_ticks"] = min((ticks(k) for k in markers if ticks(k) is not None), default=None)
    out.bench = {"marker": base, "phases": []}
    for k, name, n in listed:
        t, t0 = totals(2 * k), totals(2 * k, {0})
        sub = 0 if name == "marker" else 1
        per = {key: (t[key] - sub * base[key]) / n for key in keys}
        per["hypercalls_vcpu0"] = (t0["hypercalls"] - sub * base["hypercalls_vcpu0"]) / n
        if k in ipis:
            per["ipis"] = (ipis[k] - sub * base["ipis"]) / n
        if k in allocated:
            per["pages_allocated"] = (allocated[k] - sub * base["pages_allocated"]) / n
        if ticks(k) is not None and base["tsc_ticks"] is not None:
            per["tsc_ticks"] = (ticks(k) - sub * base["tsc_ticks"]) / n
        out.bench["phases"].append({"name": name, "iterations": n, "per_iteration": per, "raw": t,
                                    "raw_vcpu0": t0, **({"pages_touched": touched[k]} if k in touched else {})})
        out.figures += [f"phase.{name}.{key}={v:.2f}" for key, v in per.items()]
        if k in touched:
            out.figures.append(f"phase.{name}.pages_touched={touched[k]}")
    return None


def check_dom0(entry, out):
    """The xl-mode checks on dom0's side: actions, the domain's end, Xen's memory; None or why not."""
    error = next((l for l in out.dom0 if l.startswith("action-error ")), None)
    if error:
        return f"dom0 could not run its actions: {error.split(': ', 1)[1]}"
    actions = {}
    for line in out.dom0:
        m = re.match(r"^action \S+ (\d+) rc=(\S+) (.*)$", line)
        if m:
            actions[int(m.group(1))] = (m.group(2), m.group(3))
    for k, (marker, command) in enumerate(entry.dom0_actions, 1):
        rc, _ = actions.get(k, ("unreported", command))
        if rc == "never-fired":
            return f"dom0 action {k} ({command}) never ran: the guest never printed '{marker}' enough times"
        if rc != "0":
            output = [l.split(": ", 1)[1] for l in out.dom0 if l.startswith(f"action-output {entry.name} {k}: ")]
            return f"dom0 action {k} ({command}) ended rc={rc}" + (f": {output[-1]}" if output else "")
    if entry.xl_end and out.xl_end != entry.xl_end:
        panic = next((l for l in out.lines if "Kernel panic" in l), None)
        if entry.phases and panic:
            return f"the workload's /init failed: {panic.strip()}"
        return f"the domain ended '{out.xl_end}' according to xl, expected '{entry.xl_end}'"
    if entry.memory_back:
        m = next((re.match(r"^memory \S+ before=(\d*) after=(\d*) domains=(\d+)$", l) for l in out.dom0
                  if l.startswith("memory ")), None)
        if not m:
            return "dom0 reported no memory figures"
        out.figures += [f"xen_free_mb_before={m.group(1)}", f"xen_free_mb_after={m.group(2)}",
                        f"domains_left={m.group(3)}"]
        if not m.group(1) or m.group(1) != m.group(2):
            return f"Xen's free memory was {m.group(1)} MB before the domain and {m.group(2)} MB 30 s after it was gone"
        if m.group(3) != "0":
            return f"{m.group(3)} domains besides dom0 were left behind"
    return None


def unexpected_complaints(entry, out):
    """Xen's complaints that no xen_complaints pattern of the entry expects."""
    return [line for line in out.xen_complaints
            if not any(re.search(pattern, line) for pattern in entry.xen_complaints)]


def judge(entry, out, xenalyze_path=None):
    """(verdict, reason): verdict is ok, skip or fail. XENALYZE_PATH: xenalyze, to check the
    trace reader with on every traced run."""
    out.figures.append(f"xen_complaints={len(out.xen_complaints)}")
    bug = next((line for line in out.lines if line.startswith(KERNEL_BUG)), None)
    if bug and not entry.kernel_bug:
        return "fail", f"kernel bug: {bug}"
    if out.status == "SKIP" and entry.expect != "SKIP":
        return "skip", "the guest skipped: " + next((l for l in out.lines if l.startswith("SKIP:")), "")
    if (out.status or "none") != entry.expect:
        got = out.status or "no result"
        reason = f"expected {entry.expect}, got {got}"
        if entry.phases and out.status == "FAILURE":
            reason = "the workload's /init failed: " + next((l for l in out.lines if l.startswith("FAIL:")), reason)
        return "fail", reason + (f" ({out.diagnosis})" if out.diagnosis else "")
    if entry.kernel_bug and not bug:
        return "fail", "no kernel bug reported: the test provokes one, a BUG: or FATAL: line was expected"
    unexpected = unexpected_complaints(entry, out)
    if unexpected:
        more = f" (and {len(unexpected) - 1} more)" if len(unexpected) > 1 else ""
        return "fail", f"Xen complained about the guest: {unexpected[0]}{more}"
    for pattern in entry.output:
        if not any(re.search(pattern, line) for line in out.lines):
            return "fail", f"no output line matches /{pattern}/"
    if entry.check:
        problem = entry.check(out.lines)
        if problem:
            return "fail", problem
    if entry.mode == "xl":
        problem = check_dom0(entry, out)
        if problem:
            return "fail", problem
    if entry.xentrace:
        problem = check_phases(out) if entry.phases else None
        # pvmm prints its own counters: they must agree with Xen's trace, a benchmark's run too.
        if not problem and entry.kernel == "pvmm":
            problem = check_xentrace(out, xenalyze_path)
        if problem:
            return "fail", problem
    return "ok", None


@dataclass
class Result:
    """One test's verdict as reported: the TAP lines, and what --junit writes (runner/junit.py)."""
    name: str
    mode: str
    seconds: float
    verdict: str                  # ok, fail or skip
    reason: Optional[str]         # why it failed or was skipped
    log: Optional[str]            # BUILD/logs/NAME.log; None: it did not run
    reported: List[str] = field(default_factory=list)   # a failure's REPORTED guest lines
    xen: List[str] = field(default_factory=list)        # a failure's Xen complaints, marked
    figures: List[str] = field(default_factory=list)    # key=value: the guest's, the runner's


def result(entry, out, verdict, reason, log_path):
    """The Result of ENTRY's run OUT."""
    r = Result(entry.name, entry.mode, out.seconds, verdict, reason, log_path)
    if verdict == "fail":
        r.reported = [line for line in out.lines if line.startswith(REPORTED)]
        unexpected = unexpected_complaints(entry, out)
        r.xen = [line if line in unexpected else f"{line} (expected by the spec)"
                 for line in out.xen_complaints]
    r.figures = [line for line in out.lines if re.match(r"^[a-z_][\w.-]*=\S*$", line)] + out.figures
    return r


class Reporter:
    """TAP on stdout as the verdicts come; every Result kept, in that order, for JUnit."""

    def __init__(self, total, xen, header=()):
        self.lock = threading.Lock()
        self.counts = {"ok": 0, "fail": 0, "skip": 0}
        self.results = []
        print(f"1..{total}", flush=True)
        print(f"# xen: {xen.describe()}", flush=True)
        for line in header:
            print(f"# {line}", flush=True)

    def report(self, entry, out, verdict, reason, log_path):
        r = result(entry, out, verdict, reason, log_path)
        with self.lock:
            self.results.append(r)
            self.counts[verdict] += 1
            head = "not ok" if verdict == "fail" else "ok"
            note = f" # SKIP {reason}" if verdict == "skip" else ""
            print(f"{head} {len(self.results)} - {r.name} ({r.mode}, {r.seconds:.1f} s){note}")
            if verdict == "fail":
                print(f"#   {reason}")
                for line in r.reported:
                    print(f"#   | {line}")
                for line in r.xen:
                    print(f"#   xen: {line}")
                print(f"#   log: {r.log}")
            for line in r.figures:
                print(f"#   {r.name}: {line}")
            sys.stdout.flush()
