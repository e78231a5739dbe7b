"""wx-image: the kernel image is W^X from early boot. The guest writes to its own text or
read-only data, or calls into its data or the direct map, as a kernel bug would: each must end
the run in FAILURE with a BUG: line naming the address (the runner expects the kernel bug, as for
kernel-bug); a write or call that goes through is a FAILURE with no BUG line, which fails the
test."""

from runner.entry import Entry

ADDRESS = r"0x[0-9a-f]{16}"
ENTRIES = [
    Entry("wx-image-write-text", "what=text", expect="FAILURE", kernel_bug=True,
          output=[rf"^BUG: kernel write to its read-only text at {ADDRESS}, rip 0x[0-9a-f]+ \(W\^X\)$"]),
    Entry("wx-image-write-rodata", "what=rodata", expect="FAILURE", kernel_bug=True,
          output=[rf"^BUG: kernel write to its read-only data at {ADDRESS}, rip 0x[0-9a-f]+ \(W\^X\)$"]),
    Entry("wx-image-exec-data", "what=data", expect="FAILURE", kernel_bug=True,
          output=[rf"^BUG: kernel jump to non-executable memory at {ADDRESS} \(W\^X\)$"]),
    Entry("wx-image-exec-direct-map", "what=direct-map", expect="FAILURE", kernel_bug=True,
          output=[rf"^BUG: kernel jump to non-executable memory at {ADDRESS} \(W\^X\)$"]),
]
