"""Xen's own count of a domain's hypercalls, from a xentrace file, against the guest's counters.

The file is what xentrace (Xen 4.17, tools/xentrace/xentrace.c) writes without -M: for each
window it drained from a physical CPU's trace buffer, a CPU-change record (header 0x2001f003,
then the CPU and the window's size in bytes), then the window's records as Xen wrote them
(xen/common/trace.c). A record is a header word (event in bits 0-27, number of extra words in
bits 28-30, TSC present in bit 31), the TSC (two words) if present, then the extra words.
Windows of one CPU are in order, so each CPU's records form one ordered stream.

Records used (xen/include/public/trace.h; layouts from Xen 4.17's emitting code):
  TRC_SCHED_SWITCH 0x0002800a          prev domid, prev unit, next domid, next unit
                                       (sched/core.c: the CPU now runs the next one)
  TRC_SCHED_DOM_ADD 0x00028001         domid (sched_init_domain: a domain was created)
  TRC_PV_HYPERCALL_V2 0x0020100d       word 0: op in bits 0-19, bits 20-31 say which
                                       arguments follow; then those arguments (32 bits
                                       each): count of mmu_update, mmuext_op, multicall;
                                       cmd of sched_op; cmd, vcpu of vcpu_op; cmd, count of
                                       grant_table_op (common/trace.c __trace_hypercall)
  TRC_PV_HYPERCALL_SUBCALL 0x0020200e  one per multicall entry, same layout, emitted by
                                       do_multicall() before it runs the entry
  TRC_LOST_RECORDS 0x0001f001          the buffer was full: records are missing
A hypercall record is the domain's that the last switch record on that CPU names.

Continuations are not calls the guest made: Xen re-executes a preempted hypercall, which makes
a second record. mmu_update and mmuext_op continuations carry MMU_UPDATE_PREEMPTED (bit 31) in
their count, in a multicall entry too. A multicall continuation carries no flag: it is
recognised as a multicall from a vCPU whose previous multicall has not yet had all its entries
(count = entries left, or one more when the entry it stopped in was itself preempted). When
that entry was the last, the restart is a one-entry multicall after a complete one, like a new
call; it is told apart by its entry, which is the preempted mmu_update or mmuext_op again and
so carries the flag (seen in the benchmark: 18 in one run, each a flush that Xen preempted).
Not recognised, so counted as calls: the unflagged restart of mmu_update or mmuext_op when
releasing an old page table was preempted (mm.c put_old_guest_table), and continuations of
other preemptible calls (memory_op, grant_table_op, ...), which encode progress differently.
"""

import collections
import re
import struct

CPU_CHANGE = 0x0001f003
TRC_LOST_RECORDS = 0x0001f001
TRC_SCHED_DOM_ADD = 0x00028001
TRC_SCHED_SWITCH = 0x0002800a
TRC_PV_HYPERCALL_V2 = 0x0020100d
TRC_PV_HYPERCALL_SUBCALL = 0x0020200e
TRC_PV_PAGE_FAULT64 = 0x00201104       # rip (2 words), addr (2 words), error code (pv/trace.c)
TRC_PV_EMULATE_PRIVOP = 0x00201006     # a privileged instruction Xen emulated (| TRC_64_FLAG)
TRC_PV_PTWR_EMULATION = 0x0020100b     # a write to a page-table page Xen emulated (| TRC_64_FLAG)
TRC_64_FLAG = 0x100
DOMID_IDLE = 0x7fff
PREEMPTED = 0x80000000          # MMU_UPDATE_PREEMPTED
XEN_H = "/usr/include/xen/xen.h"

# The calls a guest makes after it snapshots its counters, on the way to printing them and
# ending: console ring kicks (event_channel_op), SCHEDOP_poll while the ring is full and
# SCHEDOP_shutdown (sched_op), timer re-arms (vcpu_op), the iret ending every event upcall,
# xen_version calls that force a pending callback. Xen's count of these is only a lower bound
# check of the guest's. So is set_trap_table's: Xen may preempt it and re-enter it as a
# continuation, which it traces as a second call without marking it (seen under load: guest 1,
# Xen 2). Every other hypercall, and every multicall entry, is compared exactly.
LOWER_BOUND = ("xen_version", "iret", "vcpu_op", "sched_op", "event_channel_op", "set_trap_table")


class TraceError(Exception):
    """The trace cannot be read or cannot be trusted: one line."""


def hypercall_numbers(header=XEN_H):
    """{name: number} of the __HYPERVISOR_* hypercalls in Xen's public header."""
    names = {}
    try:
        with open(header) as f:
            for m in re.finditer(r"^#define __HYPERVISOR_(\w+)\s+(\d+)\b", f.read(), re.M):
                names.setdefault(m.group(1), int(m.group(2)))
    except OSError as e:
        raise TraceError(f"cannot read {header} ({e.strerror}): install libxen-dev")
    return names


def records(data):
    """(cpu, event, extra words) of every record, in time order (stamped_records())."""
    for _, cpu, event, words in stamped_records(data):
        yield cpu, event, words


def stamped_records(data):
    """(TSC, cpu, event, extra words) of every record, in time order: the physical CPUs' streams
    merged by TSC (a record without one keeps its CPU's last). File order is not enough: the
    file holds each CPU's records in chunks, and a vCPU whose multicall Xen restarted on another
    CPU would have the restart read before the call it continues."""
    stream = []
    last = {}
    for n, (cpu, event, words, tsc) in enumerate(timed_records(data)):
        if tsc is None:
            tsc = last.get(cpu, 0)
        last[cpu] = tsc
        stream.append((tsc, n, cpu, event, words))
    stream.sort(key=lambda r: (r[0], r[1]))
    for tsc, _, cpu, event, words in stream:
        yield tsc, cpu, event, words


def timed_records(data):
    """(cpu, event, extra words, TSC or None) of every record, in file order."""
    pos = 0
    n = len(data)
    while pos < n:
        if n - pos < 12:
            raise TraceError(f"trace ends inside a CPU-change record at byte {pos}")
        head, cpu, size = struct.unpack_from("<III", data, pos)
        if head & 0x0fffffff != CPU_CHANGE or (head >> 28) & 7 != 2:
            raise TraceError(f"expected a CPU-change record at byte {pos}, found 0x{head:08x}")
        pos += 12
        end = pos + size
        if end > n:
            raise TraceError(f"CPU {cpu} window at byte {pos} runs past the end of the trace")
        while pos < end:
            (head,) = struct.unpack_from("<I", data, pos)
            extra = (head >> 28) & 7
            tsc = head >> 31
            length = 4 + 8 * tsc + 4 * extra
            if pos + length > end:
                raise TraceError(f"record 0x{head:08x} at byte {pos} runs past its window")
            words = struct.unpack_from("<%dI" % extra, data, pos + 4 + 8 * tsc)
            stamp = struct.unpack_from("<Q", data, pos + 4)[0] if tsc else None
            yield cpu, head & 0x0fffffff, words, stamp
            pos += length


class DomainCounts:
    """Xen's count of one domain's hypercalls."""

    def __init__(self):
        self.calls = collections.Counter()       # op -> direct hypercalls
        self.entries = collections.Counter()     # op -> multicall entries
        self.continued = collections.Counter()   # op -> hypercall records that were not calls
        self.subcall_records = 0                 # multicall entry records, continuations included

    @property
    def continuations(self):
        return sum(self.continued.values())


class MulticallState:
    """Per vCPU: the entries left of its last multicall, and a one-entry multicall just counted
    as a call that may be the restart of the previous one's preempted last entry (its entry
    says: flagged if so)."""

    def __init__(self):
        self.left = {}                           # vcpu -> entries not yet traced
        self.maybe_restart = {}                  # vcpu -> the counts the multicall went to


class Trace:
    """Every domain's counts, and what the trace says about itself."""

    def __init__(self, data):
        self.domains = collections.defaultdict(DomainCounts)
        self.records = 0                         # records in the trace
        self.lost = 0                            # records Xen could not store
        self.unattributed = 0                    # hypercall records before a CPU's first switch
        self.idle = 0                            # hypercall records "from" the idle domain
        self.created = []                        # domids of TRC_SCHED_DOM_ADD, in order
        running = {}                             # cpu -> (domid, unit) it last switched to
        multicalls = MulticallState()
        for cpu, event, w in records(data):
            self.records += 1
            if event == TRC_LOST_RECORDS:
                self.lost += w[0] if w else 1
            elif event == TRC_SCHED_DOM_ADD and w:
                self.created.append(w[0])
            elif event == TRC_SCHED_SWITCH and len(w) >= 4:
                running[cpu] = (w[2], w[3])
            elif event in (TRC_PV_HYPERCALL_V2, TRC_PV_HYPERCALL_SUBCALL) and w:
                if cpu not in running:
                    self.unattributed += 1
                elif running[cpu][0] == DOMID_IDLE:
                    self.idle += 1
                else:
                    self._hypercall(self.domains[running[cpu][0]], multicalls, running[cpu],
                                    event == TRC_PV_HYPERCALL_SUBCALL, w[0] & 0xfffff, w[1:])

    @staticmethod
    def _hypercall(c, multicalls, vcpu, subcall, op, args):
        # mmu_update (1) and mmuext_op (26) resumed after preemption
        flagged = op in (1, 26) and args and args[0] & PREEMPTED
        if subcall:
            c.subcall_records += 1
            multicalls.left[vcpu] = multicalls.left.get(vcpu, 0) - 1
            counted_in = multicalls.maybe_restart.pop(vcpu, None)
            if flagged:
                c.continued[op] += 1
                if counted_in is not None:       # the restart of a preempted last entry
                    counted_in.calls[13] -= 1
                    counted_in.continued[13] += 1
            else:
                c.entries[op] += 1
            return
        if op == 13 and args:                    # multicall
            left = multicalls.left.get(vcpu, 0)
            multicalls.left[vcpu] = args[0]
            if left > 0 and args[0] in (left, left + 1):
                c.continued[13] += 1
                return
            if left == 0 and args[0] == 1:
                multicalls.maybe_restart[vcpu] = c
        if flagged:
            c.continued[op] += 1
            return
        c.calls[op] += 1


GUEST_RE = re.compile(r"^(hypercall|multicall)\.(\w+)=(\d+)$")


def guest_counts(lines, numbers):
    """The guest's printed counts: ({op: calls}, {op: entries}, total or None)."""
    calls, entries, total = collections.Counter(), collections.Counter(), None
    for line in lines:
        m = GUEST_RE.match(line)
        if m:
            kind, name, n = m.group(1), m.group(2), int(m.group(3))
            if name not in numbers:
                raise TraceError(f"the guest printed {kind}.{name}, which {XEN_H} does not name")
            (calls if kind == "hypercall" else entries)[numbers[name]] += n
        elif line.startswith("hypercalls="):
            total = int(line.split("=", 1)[1])
    return calls, entries, total


def guest_domain(t, domid):
    """The guest's domain id in trace T: DOMID, or when dom0 did not name it (None), the one
    domain created while tracing."""
    if domid is not None:
        return domid
    if len(t.created) != 1:
        raise TraceError(f"dom0 did not name the guest's domain id and the trace shows "
                         f"{len(t.created)} domains created")
    return t.created[0]


def compare(lines, t, domid):
    """Check the guest's printed counters against Xen's trace T (a Trace) of domain DOMID.

    Returns (problem, figures): problem is None when every comparison holds, else one line;
    figures are key=value strings."""
    numbers = hypercall_numbers()
    names = {}
    for name, nr in numbers.items():
        names.setdefault(nr, name)
    domid = guest_domain(t, domid)
    c = t.domains[domid]
    figures = [f"xentrace.domid={domid}", f"xentrace.records={t.records}"]
    if t.idle:
        return (f"{t.idle} hypercall records on a CPU running the idle domain: the scheduler "
                f"records do not attribute them"), figures
    if t.lost:
        return f"xentrace lost {t.lost} records (trace buffer full): Xen's count is incomplete", figures
    if domid not in t.created:
        # Then it may have run before tracing began, or records may be someone else's.
        return (f"the trace does not show domain {domid} being created "
                f"(created while tracing: {', '.join(map(str, t.created)) or 'none'})"), figures
    calls, entries, total = guest_counts(lines, numbers)
    if total is None:
        return "the guest printed no hypercalls= line to compare with Xen's trace", figures

    problems = []
    lower = {numbers[n] for n in LOWER_BOUND}
    for kind, guest, xen in (("hypercall", calls, c.calls), ("multicall", entries, c.entries)):
        for op in sorted(set(guest) | set(xen)):
            name = names.get(op, str(op))
            g, x = guest[op], xen[op]
            exact = kind == "multicall" or op not in lower
            figures.append(f"xentrace.{kind}.{name}={x}")
            if exact and g != x:
                problems.append(f"{kind}.{name}: guest counted {g}, Xen traced {x}")
            elif not exact and x < g:
                problems.append(f"{kind}.{name}: guest counted {g}, Xen traced only {x}")
    xen_total = sum(c.calls.values())
    figures += [f"xentrace.hypercalls={xen_total}",
                f"xentrace.after_snapshot={xen_total - total}",
                f"xentrace.continuations={c.continuations}"]
    if xen_total < total:
        problems.append(f"hypercalls: guest counted {total}, Xen traced only {xen_total}")
    if problems:
        return "xentrace disagrees: " + "; ".join(problems), figures
    return None, figures


class PhaseCounts(DomainCounts):
    """One benchmark phase of one domain: its hypercalls, and the traps Xen handled for it."""

    def __init__(self):
        super().__init__()
        self.faults = 0          # page faults Xen saw (and bounced to the guest)
        self.ptwr = 0            # writes to page-table pages Xen emulated
        self.privop = 0          # privileged instructions Xen emulated


def phase_counts(data, domid, marker_base, markers):
    """Domain DOMID's counts split into phases by its marker faults.

    A phase begins with the domain's page fault at marker_base + k pages (k < markers) and
    ends with the next marker fault. Each CPU's records are in order; across CPUs they are
    merged by TSC (records()). Returns ({(k, vcpu): PhaseCounts}, records lost, {k: the TSC of
    marker k's fault}): Xen stamps each record with the physical CPU's TSC as it writes it."""
    phases = collections.defaultdict(PhaseCounts)
    running, multicalls, stamps = {}, MulticallState(), {}
    phase, lost = None, 0
    for tsc, cpu, event, w in stamped_records(data):
        if event == TRC_LOST_RECORDS:
            lost += w[0] if w else 1
        elif event == TRC_SCHED_SWITCH and len(w) >= 4:
            running[cpu] = (w[2], w[3])
        if cpu not in running or running[cpu][0] != domid:
            continue
        if event == TRC_PV_PAGE_FAULT64 and len(w) >= 4:
            addr = w[2] | w[3] << 32
            if marker_base <= addr < marker_base + markers * 4096:
                phase = (addr - marker_base) // 4096
                stamps.setdefault(phase, tsc)
        if phase is None:
            continue
        c = phases[(phase, running[cpu][1])]
        if event in (TRC_PV_HYPERCALL_V2, TRC_PV_HYPERCALL_SUBCALL) and w:
            Trace._hypercall(c, multicalls, running[cpu], event == TRC_PV_HYPERCALL_SUBCALL,
                             w[0] & 0xfffff, w[1:])
        elif event == TRC_PV_PAGE_FAULT64:
            c.faults += 1
        elif event & ~TRC_64_FLAG == TRC_PV_PTWR_EMULATION:
            c.ptwr += 1
        elif event & ~TRC_64_FLAG == TRC_PV_EMULATE_PRIVOP:
            c.privop += 1
    return phases, lost, stamps
