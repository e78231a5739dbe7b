"""switch-race: a teardown landing inside another vCPU's mm switch, held open at the point
window= names. window=cr3-queued: loaded_mm names the new mm, Xen still holds the old one; the
teardown must wait for that vCPU (inject=ignore-xen-mm shows the -EBUSY it would meet).
window=before-publish: the vCPU is chosen while it holds the old mm and must not leave its new
one; the teardown completes (inject=no-drop-recheck shows the spurious leave).

The cr3-queued window is the loaded_mm model's: there the vCPU is no longer a holder once
loaded_mm names the new mm. The pre-seed model (MODEL=active_mm) keeps it in the old mm's
mm_cpumask until after the switch is queued, so its teardown reaches the vCPU by that mask and
the window does not exist (docs/tlb.md)."""

from runner.entry import Entry

# inject=ignore-xen-mm tears down the mm that Xen still holds as the other vCPU's CR3, so its page
# tables are still in use when the teardown asks for them writable again: Xen refuses that
# mmu_update (-EBUSY, the failure the test expects), and a debug Xen says why (arch/x86/mm.c).
WRITABLE_REFUSED = [r"^arch/x86/mm\.c:\d+:d\d+v\d+ Bad type \(saw [0-9a-f]+ != exp [0-9a-f]+\) for mfn ",
                    r"^arch/x86/mm\.c:\d+:d\d+v\d+ Could not get page type PGT_writable_page$",
                    r"^arch/x86/mm\.c:\d+:d\d+v\d+ Error getting mfn [0-9a-f]+ \(pfn [0-9a-f]+\) from L1 entry "]

ENTRIES = [
    *[Entry(f"switch-race-queued-cr3-{n}", "window=cr3-queued", vcpus=n, models=("loaded_mm",))
      for n in (2, 4, 8)],
    Entry("switch-race-queued-cr3-inject", "window=cr3-queued inject=ignore-xen-mm", vcpus=2,
          expect="FAILURE", output=[r"^hypercall failed: mmu_update\(.*\) = -16 \(EBUSY\)$"],
          xen_complaints=WRITABLE_REFUSED,
          models=("loaded_mm",)),
    *[Entry(f"switch-race-lazy-leave-{n}", "window=before-publish", vcpus=n) for n in (2, 4, 8)],
    Entry("switch-race-lazy-leave-inject", "window=before-publish inject=no-drop-recheck", vcpus=2,
          expect="FAILURE", output=[r"^FAIL: vCPU 1 left its new mm: a spurious leave_mm$"]),
]
