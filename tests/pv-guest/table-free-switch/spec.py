"""table-free-switch: munmap frees a region's page tables while vCPU 1's switch away from the
mm is held with its CR3 load queued (loaded_mm names the new mm, Xen still holds the old one):
the chunk's flush must reach vCPU 1 before the tables are freed, as the model showed
(model/: inject-table-free-loaded-only). Check mode verifies it where the tables are freed.
inject=table-free-loaded-only flushes the loaded holders only: check mode names vCPU 1.

The inject variant is the loaded_mm model's: the pre-seed model (MODEL=active_mm) keeps vCPU 1
in the old mm's mm_cpumask until its switch is issued, so the flush reaches it as a holder."""

from runner.entry import Entry

ENTRIES = [
    Entry("table-free-switch", "check=1", vcpus=2),
    Entry("table-free-switch-inject", "check=1 inject=table-free-loaded-only", vcpus=2,
          expect="FAILURE", models=("loaded_mm",),
          output=[r"^CHECK: invariant broken: a page table is freed only after a flush reached every "
                  r"vCPU whose CR3 held the mm: vcpu 0, mm \S+: vCPUs 0x2 held it at the change and "
                  r"were not flushed yet$"]),
]
