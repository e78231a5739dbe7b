"""Xen's complaints: the lines Xen prints on its console about the test's domain (a request it
refused, a domain it crashed) and Xen-wide failures (an assertion, WARN, BUG or panic), taken
from the serial line of one run (docs/runner.md, "Xen's complaints").

A debug Xen explains every refusal, e.g.
  (XEN) arch/x86/mm.c:2940:d0v0 Bad type (saw 2400000000000001 != exp e000000000000000) for mfn ...
A release Xen prints few such lines (no gdprintk), rate-limited, but still its domain_crash
reasons and some warnings: the collector takes whatever the Xen prints.
"""

import re

XEN = "(XEN)"
# Whatever the domain: ASSERT() (fires in a debug Xen only), WARN(), BUG(), panic()
# (arch/x86/traps.c, drivers/char/console.c).
XEN_WIDE_RE = re.compile(r"^(?:Assertion '.*' failed at |Xen WARN at |Xen BUG at |Panic on CPU |FATAL TRAP)")
# The vCPU a line is about: gdprintk's "FILE:LINE:dNvM " prefix, gprintk's "dNvM ", and the
# messages that name the vCPU inside ("read_dr(d1v0, 0x...) Bad register"). Xen's own boot and
# idle work print "d[IDLE]v0", so no dNvM is boot chatter.
VCPU_RE = re.compile(r"\bd(\d+)v\d+\b")
# A line about a domain but no vCPU: "%pd: ..." or "%pd ..." first, after an optional
# FILE:LINE: ("d1: Forcing read-only access to MFN fed00"); direct mode's boot prints
# "d0 has maximum 232 PIRQs" this way, so these count only once Xen's boot is over.
DOMAIN_RE = re.compile(r"^(?:[\w./-]+:\d+:\s*)?d(\d+)\b")
# __domain_crash(): Xen ends the domain for what it did (common/domain.c).
CRASH_RE = re.compile(r"^Domain (\d+) (?:\(vcpu#\d+\) crashed|reported crashed)")
# Lines that name no domain but belong to the run's guest while it runs: domain_crash()'s caller
# (just before the Domain line), and the rate limiter's note that it dropped messages, which may
# have been the guest's complaints: it must not hide them silently.
UNNAMED_RE = re.compile(r"^(?:domain_crash called from |printk: \d+ messages suppressed)")
# The last line of Xen's boot: the initial domain runs from here on.
BOOT_DONE_RE = re.compile(r"^Freed \d+kB init memory")


class XenLog:
    """Collects Xen's complaints from every serial line of one run, fed in order.

    direct mode: the guest is d0, Xen's initial domain, from its first request to the end.
    xl mode: d0 is the dom0 Linux, whose own requests are Linux's business; the guest is any
    domU (d1 and up) that Xen names between dom0's "PVMM-XL: begin NAME" and "end NAME"
    lines. dom0 runs one domU at a time, and prints its domid only after the end line (from
    xl's "Domain N has shut down"), too late to sort the lines as they come; a reboot, a
    restore or a migration gives the same guest a new domid anyway."""

    def __init__(self, mode, name):
        self.mode = mode
        self.name = name
        self.booted = False        # Xen's boot is over (direct mode's d0 is the guest from then on)
        self.in_window = False     # xl mode: between the guest's begin and end lines
        self.complaints = []       # the lines, without "(XEN) "

    def feed(self, line):
        if not line.startswith(XEN):
            self.window(line)
            return
        text = line[len(XEN):].strip()
        if BOOT_DONE_RE.match(text):
            self.booted = True
        elif self.complains(text):
            self.complaints.append(text)

    def window(self, line):
        """xl mode: the begin and end lines of dom0's report on the guest; direct mode: a guest
        line means Xen's boot is over (its "Freed ... init memory" line is only the usual sign)."""
        if self.mode == "direct":
            self.booted = True
        elif line == f"PVMM-XL: begin {self.name}":
            self.in_window = True
        elif line.startswith(f"PVMM-XL: end {self.name} "):
            self.in_window = False

    def complains(self, text):
        if XEN_WIDE_RE.match(text):
            return True
        m = VCPU_RE.search(text)
        if m:
            return self.guest(int(m.group(1)))
        m = DOMAIN_RE.match(text) or CRASH_RE.match(text)
        if m:
            return self.guest(int(m.group(1))) and (self.booted or self.mode == "xl")
        return bool(UNNAMED_RE.match(text)) and (self.in_window if self.mode == "xl" else self.booted)

    def guest(self, domid):
        """Whether domain DOMID is the test's guest at this point of the run."""
        if self.mode == "direct":
            return domid == 0
        return self.in_window and domid != 0
