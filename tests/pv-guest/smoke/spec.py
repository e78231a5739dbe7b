"""smoke: the guest boots, its memory and events work, and the hypercall counters count
exactly the calls made (against Xen's own trace in smoke-xentrace). The harness entries check
the guest's one-line errors for a bad command line."""

import re

from runner.options import global_options
from runner.entry import Entry

GLOBAL_NAMES = ", ".join(re.escape(name) for name, _, _ in global_options())

ENTRIES = [
    Entry("smoke", output=[r"^hypercall\.set_trap_table=1$", r"^mmuext\.TLB_FLUSH_LOCAL=\d+$"]),
    Entry("smoke-xl", mode="xl",
          output=[r"^pvmm: Xen 4\.\d+, domU,", r"^hypercall\.event_channel_op=[1-9]"]),
    Entry("smoke-unknown-test", test="no-such-test", expect="ERROR",
          output=[r"^pvmm: unknown test 'no-such-test'; valid tests: .*\bsmoke\b"]),
    Entry("smoke-malformed-cmdline", "oops", expect="ERROR",
          output=[r"^pvmm: malformed command-line option 'oops': expected key=value"]),
    Entry("smoke-bad-option-value", "ticks=lots", expect="ERROR",
          output=[r"^pvmm: malformed value 'lots' for option 'ticks': expected a number$"]),
    Entry("smoke-unknown-option", "colour=blue", expect="ERROR",
          output=[rf"^pvmm: unknown option 'colour' for test 'smoke'; valid options: ticks, {GLOBAL_NAMES}$"]),
    Entry("smoke-xentrace", mode="xl", xentrace=True),
]
