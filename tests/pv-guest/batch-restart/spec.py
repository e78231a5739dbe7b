"""batch-restart: an mmu_update entry of the multicall batch that Xen preempts and restarts
(an event pending on the vCPU), then fails at request 5 of 8. Xen restarts the entry with its
arguments rewritten (the list advanced past the requests done) and keeps the done count as a
total, so the failure report must name request 5 of 8 with the ptr and val the test queued
there. The event's handler prints the done count it saw: the run ends with ERROR unless the
event was taken inside the entry, between its first request and the failing one."""

import re

from runner.entry import Entry

QUEUED_RE = re.compile(r"^bad_request\.(ptr|val)=([0-9a-f]+)$")
REPORT_RE = re.compile(r"^hypercall failed: mmu_update\(multicall entry 0 of 1: request 5 of 8: "
                       r"ptr=([0-9a-f]+), val=([0-9a-f]+)\) = -16 \(EBUSY\)$")


def report_names_queued_request(lines):
    """The report's ptr and val must be the ones the test queued as request 5."""
    queued = dict(m.groups() for m in map(QUEUED_RE.match, lines) if m)
    reported = [m.groups() for m in map(REPORT_RE.match, lines) if m]
    if len(queued) != 2 or len(reported) != 1:
        return f"{len(queued)} of the 2 bad_request lines and {len(reported)} failure reports, 1 expected"
    if reported[0] != (queued["ptr"], queued["val"]):
        return (f"the report names ptr={reported[0][0]}, val={reported[0][1]}; request 5 was queued "
                f"as ptr={queued['ptr']}, val={queued['val']}")
    return None


# Request 5 maps init_mm's top table, pinned, writable on purpose, so that the restarted entry fails: Xen
# refuses it (-EBUSY, the failure the report must name), and a debug Xen says why (arch/x86/mm.c).
WRITABLE_REFUSED = [r"^arch/x86/mm\.c:\d+:d\d+v\d+ Bad type \(saw [0-9a-f]+ != exp [0-9a-f]+\) for mfn ",
                    r"^arch/x86/mm\.c:\d+:d\d+v\d+ Could not get page type PGT_writable_page$",
                    r"^arch/x86/mm\.c:\d+:d\d+v\d+ Error getting mfn [0-9a-f]+ \(pfn [0-9a-f]+\) from L1 entry "]

ENTRIES = [
    Entry("batch-restart", expect="FAILURE", output=[r"^restart\.done_at_event=[1-4]$", REPORT_RE.pattern],
          check=report_names_queued_request, xen_complaints=WRITABLE_REFUSED),
]
