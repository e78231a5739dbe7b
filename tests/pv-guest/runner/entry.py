"""Entry: one test of the suite, as a scenario's spec.py declares it."""

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple, Union

from .linux import VERSIONS as LINUX_VERSIONS

EXPECTS = ("SUCCESS", "FAILURE", "SKIP", "ERROR", "timeout", "none")
XL_ENDS = ("poweroff", "reboot", "suspend", "crash", "destroyed")
MODES = ("direct", "xl")
KERNELS = ("pvmm", "linux")
MODELS = ("loaded_mm", "active_mm")   # the TLB models a build can hold (make MODEL=...)


@dataclass
class Entry:
    """A guest boot and what it must show.

    It boots build/pvmm.elf under real Xen with the command line `test=TEST ARGS`, in one of
    two modes: "direct" (the guest is Xen's initial domain) or "xl" (a Linux dom0 starts it
    as a domU with `xl create`). It passes when the guest ends as `expect` says (a result
    word, or "timeout" for a guest that must never finish), every extra check holds, and it
    reported no kernel bug (a BUG: or FATAL: line) unless kernel_bug says it provokes one, and
    Xen printed no complaint about it (a refused request, ...) that xen_complaints does not expect.
    expect="none": the guest must end without a result line (xl destroy ends it first).

    A new need of a test (a fuzz seed, a dom0 action on a guest marker, ...) becomes a new
    field here, with a default that keeps every other entry as it is; the loader rejects an
    unknown keyword naming the spec file.
    """
    name: str                     # the scenario's name, or "<scenario>-<variant>"
    args: str = ""                # the test's own options (and global ones), after test=
    expect: str = "SUCCESS"       # SUCCESS | FAILURE | SKIP | ERROR | timeout
    mode: str = "direct"          # direct | xl
    vcpus: int = 1
    memory_mb: int = 64
    timeout: int = 90             # seconds, for the whole QEMU run
    # Regular expressions that must each match a line of the guest's output.
    output: List[str] = field(default_factory=list)
    # Run alone, after the others: its vCPUs hand off to each other by spinning, which
    # another QEMU on the same host cores slows by orders of magnitude (1.4 s alone, 90+ s
    # beside another such test).
    exclusive: bool = False
    # Extra check on the guest's output lines: None when it holds, else why not.
    check: Optional[Callable[[List[str]], Optional[str]]] = None
    # xl mode: dom0 records the run with xentrace, and the guest's printed hypercall counts
    # must agree with Xen's (runner/xentrace.py, docs/runner.md).
    xentrace: bool = False
    # The registered test it boots; None: the scenario's (the loader fills it in).
    test: Optional[str] = None
    # xl mode: extra keys of the xl config, overriding the runner's of the same name
    # (memory, vcpus, on_poweroff, ...); an int is written bare, a str quoted.
    xl: Dict[str, Union[int, str]] = field(default_factory=dict)
    # It provokes a kernel bug on purpose (a harness test): its BUG:/FATAL: line is expected.
    kernel_bug: bool = False
    # Direct mode: the physical CPUs QEMU gives Xen. A stale-TLB test needs one per vCPU: where
    # Xen shares a physical CPU between vCPUs its switches reload CR3, and TCG then drops every
    # TLB entry, stale ones included, so a missing flush could go unseen (docs/tlb.md).
    host_cpus: int = 2
    # xl mode: what dom0 does to the running domain, in order: (MARKER, COMMAND) runs COMMAND
    # in dom0 (sh -c, with $DOM the domain's name and $DOMID its id) once the guest's console
    # holds one more line equal to MARKER than the earlier actions of that marker used up.
    # Each must fire and exit 0 (tests/pv-guest/dom0/init).
    dom0_actions: List[Tuple[str, str]] = field(default_factory=list)
    # xl mode: how the domain must end, as xl reports it (one of XL_ENDS); None: not checked.
    xl_end: Optional[str] = None
    # xl mode: Xen's free memory must come back to its value before `xl create`, and no
    # domain but dom0 be left, once the domain is gone.
    memory_back: bool = False
    # Left out of a run that names no tests (make test): it runs only when named. For a test
    # that cannot pass on this machine's Xen, or that reproduces an open bug, with the reason
    # in the docs (lifecycle-migrate, lifecycle-save-restore), or a long one (init-bench-linux).
    on_request: bool = False
    # A ramdisk for the guest, a path under the build directory (a newc cpio: the initramfs):
    # direct mode gives it to Xen as the second multiboot module, xl mode as `ramdisk=`.
    ramdisk: Optional[str] = None
    # The guest kernel: "pvmm" (build/pvmm.elf, `test=TEST ARGS`), or "linux": the Debian kernel
    # the xl runner boots as dom0 (build/dom0/vmlinuz), as a PV domU, whose command line is ARGS
    # alone. The same initramfs under both kernels (the init tests, docs/syscalls.md).
    kernel: str = "pvmm"
    # kernel="linux": which Debian Linux boots (runner/linux.py): "6.1", Debian 12's, dom0's own
    # kernel, or "6.12", Debian 13's, fetched once into DOM0-linux6.12/.
    linux: str = "6.1"
    # xl mode with xentrace: a benchmark run. Xen's trace is split into the phases that the
    # guest's marker faults delimit (tests/pv-guest/bench/program.c) and each phase's counts
    # per iteration are the figures, kept in BUILD/bench/NAME.json; the guest's own counters
    # are not compared.
    phases: bool = False
    # The TLB models whose builds run it (make MODEL=...): a test of one model's own workings
    # (its injected faults, its lazy=leave policy) names that model alone.
    models: Tuple[str, ...] = MODELS
    # It needs a Xen with shadow paging (PV log-dirty mode: xl migrate); skipped, with that
    # reason, on one without (Debian's binaries).
    needs_shadow: bool = False
    # Added to Xen's command line for this test alone, after XEN_ARGS (e.g. "pv-linear-pt=0").
    xen_args: str = ""
    # Xen's complaints this test provokes on purpose: regular expressions, each collected
    # complaint (a line Xen printed about the guest's domain, without "(XEN) ": a request it
    # refused, a crash, "printk: N messages suppressed", or a Xen-wide assertion, WARN, BUG or
    # panic; runner/xenlog.py) must match one of them, or the test fails. Allowed, not
    # required: a release Xen prints few of them. Say in a comment why the test provokes each.
    xen_complaints: List[str] = field(default_factory=list)

    def __post_init__(self):
        if self.expect not in EXPECTS:
            raise ValueError(f"entry {self.name}: expect={self.expect!r}; valid: {', '.join(EXPECTS)}")
        if not self.models or any(m not in MODELS for m in self.models):
            raise ValueError(f"entry {self.name}: models={self.models!r}; valid: {', '.join(MODELS)}")
        if self.mode not in MODES:
            raise ValueError(f"entry {self.name}: mode={self.mode!r}; valid: {', '.join(MODES)}")
        if self.kernel not in KERNELS:
            raise ValueError(f"entry {self.name}: kernel={self.kernel!r}; valid: {', '.join(KERNELS)}")
        if self.linux not in LINUX_VERSIONS:
            raise ValueError(f"entry {self.name}: linux={self.linux!r}; valid: {', '.join(LINUX_VERSIONS)}")
        if self.kernel == "linux" and (self.mode != "xl" or self.expect != "none"):
            raise ValueError(f"entry {self.name}: a Linux guest runs in xl mode and prints no result "
                             "line (expect=\"none\", checked by its output and xl_end)")
        if self.phases and not (self.xentrace and self.mode == "xl"):
            raise ValueError(f"entry {self.name}: phases needs xentrace=True and xl mode")
        if self.host_cpus != 2 and self.mode != "direct":
            raise ValueError(f"entry {self.name}: host_cpus is for direct mode (xl mode's dom0 wants 2)")
        if self.xl and self.mode != "xl":
            raise ValueError(f"entry {self.name}: xl config keys on a {self.mode}-mode entry")
        if self.needs_shadow and self.mode != "xl":
            raise ValueError(f"entry {self.name}: needs_shadow is for xl mode (migration)")
        if (self.dom0_actions or self.xl_end or self.memory_back) and self.mode != "xl":
            raise ValueError(f"entry {self.name}: dom0_actions, xl_end and memory_back are for xl mode")
        if self.xl_end is not None and self.xl_end not in XL_ENDS:
            raise ValueError(f"entry {self.name}: xl_end={self.xl_end!r}; valid: {', '.join(XL_ENDS)}")
        for marker, command in self.dom0_actions:
            if "\t" in marker or "\n" in marker + command or not marker or not command:
                raise ValueError(f"entry {self.name}: dom0 action {(marker, command)!r}: a marker and "
                                 "a command, non-empty, one line each, no tab in the marker")
        for pattern in self.xen_complaints:
            try:
                re.compile(pattern)
            except re.error as e:
                raise ValueError(f"entry {self.name}: xen_complaints pattern {pattern!r}: {e}")
        for key, value in self.xl.items():
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise ValueError(f"entry {self.name}: xl key {key}: expected an int or a str, got {value!r}")

    @property
    def cmdline(self):
        """The guest's whole command line."""
        if self.kernel == "linux":
            return self.args
        return f"test={self.test} {self.args}".strip()
