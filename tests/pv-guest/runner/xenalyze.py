"""Xen's own trace analyser as a witness of the runner's trace reader (runner/xentrace.py).

xenalyze (tools/xentrace/xenalyze.c, built from Debian 12's Xen source by scripts/xen-build)
reads the same xentrace file on its own: it follows the scheduler's records to give each
domain its hypercall records, counted by number, a multicall entry's record and a
continuation's too, and says how many were multicall entries ("hypercall (subcall)"). The
runner's reader sorts the same records into calls, multicall entries and continuations; both
must come to the same records, number by number, for the guest's domain.
"""

import collections
import os
import re
import subprocess
import tempfile

from . import RunnerError
from .xentrace import TraceError

BUILD_SCRIPT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                             "scripts", "xen-build"))


def ensure(cache):
    """xenalyze's path in CACHE, built there first if it is missing."""
    path = os.path.join(cache, "xenalyze", "xenalyze")
    if not os.path.exists(path) and subprocess.run([BUILD_SCRIPT, cache, "xenalyze"]).returncode:
        raise RunnerError("scripts/xen-build could not make xenalyze, which checks the trace reader "
                          "(see the message above)")
    return path


def summary(xenalyze, data):
    """{domid: (Counter of hypercall records by number, multicall entry records)} from
    `xenalyze --summary` of the trace DATA."""
    with tempfile.NamedTemporaryFile(suffix=".xentrace") as f:
        f.write(data)
        f.flush()
        run = subprocess.run([xenalyze, "--summary", f.name], capture_output=True, text=True)
    if run.returncode:
        raise TraceError(f"xenalyze --summary failed (status {run.returncode}): "
                         + (run.stderr.strip().splitlines() or ["no message"])[-1])
    domains = {}
    counts, subcalls, in_hypercalls = None, None, False
    for line in run.stdout.splitlines():
        m = re.match(r"^\|-- Domain (\d+) --\|$", line)
        if m:
            counts, subcalls = collections.Counter(), [0]
            domains[int(m.group(1))] = (counts, subcalls)
            in_hypercalls = False
            continue
        if counts is None:
            continue
        if re.match(r"^  hypercall  \d+$", line):
            in_hypercalls = True
            continue
        m = re.match(r"^    \S.*\[\s*(\d+)\]:\s+(\d+)$", line)
        if in_hypercalls and m:
            counts[int(m.group(1))] += int(m.group(2))
            continue
        in_hypercalls = False
        m = re.match(r"^  hypercall \(subcall\)  (\d+)$", line)
        if m:
            subcalls[0] += int(m.group(1))
    return {d: (c, s[0]) for d, (c, s) in domains.items()}


def compare(xenalyze, data, t, domid):
    """The runner's reading T (a Trace of DATA) of domain DOMID against xenalyze's reading of
    DATA: (problem or None, figures)."""
    ours = t.domains[domid]
    theirs, subcalls = summary(xenalyze, data).get(domid, (collections.Counter(), 0))
    mine = ours.calls + ours.entries + ours.continued
    figures = [f"xenalyze.hypercall_records={sum(theirs.values())}", f"xenalyze.subcall_records={subcalls}"]
    problems = [f"hypercall {op}: xenalyze {theirs[op]} records, the runner {mine[op]}"
                for op in sorted(set(theirs) | set(mine)) if theirs[op] != mine[op]]
    if subcalls != ours.subcall_records:
        problems.append(f"multicall entries: xenalyze {subcalls} records, the runner {ours.subcall_records}")
    return ("xenalyze disagrees with the trace reader: " + "; ".join(problems)) if problems else None, figures
