"""mprotect-ad: a write lands on a page between mprotect's read of its PTE and Xen's update
(steered by hook points, every time): the read-only PTE afterwards must keep the accessed and
dirty bits the write set (MMU_PT_UPDATE_PRESERVE_AD); inject=no-preserve-ad loses them."""

from runner.entry import Entry

ENTRIES = [
    Entry("mprotect-ad", output=[r"^mprotect-ad: the dirty bit set during the update survived it$"]),
    Entry("mprotect-ad-inject", "inject=no-preserve-ad", expect="FAILURE",
          output=[r"mprotect lost the accessed/dirty bits a write set while its update was queued$"]),
]
