"""syscall-fuzz: processes and threads on every vCPU make system calls with hostile arguments
in check mode: no kernel fault or BUG, no broken invariant, every answer one the call can give,
every page back. Every pointer argument also gets kernel addresses of each kind, and CLONE_VM
threads with random tid words and stacks exit at once, racing the others. FUZZ_CALLS (calls
per main thread, 3000 by default: about 33,000 calls in all, calls_total) sets the length:
`make test TESTS=syscall-fuzz-4 FUZZ_CALLS=130000` makes over 1,000,000 (100000 made 800,000
with seed 1, in 548 s here); FUZZ_SEED (1 by
default) replays a run, or tries other streams."""

import os

from runner import RunnerError
from runner.entry import Entry


def positive(name, default):
    value = os.environ.get(name) or default   # make exports it empty when it is not set
    if not value.isdigit() or int(value) == 0:
        raise RunnerError(f"{name}={value!r}: expected a positive number, e.g. {default}")
    return int(value)


CALLS = positive("FUZZ_CALLS", "3000")
SEED = positive("FUZZ_SEED", "1")

ENTRIES = [
    # Exclusive: every vCPU is busy all the time (main threads yield-wait for their threads),
    # which another QEMU beside it slows by an order of magnitude (16 s alone, 37 s beside a
    # busy host process, over 150 s beside another QEMU in the suite's pool).
    Entry("syscall-fuzz-4", f"check=1 calls={CALLS} seed={SEED}", vcpus=4, exclusive=True,
          timeout=90 + CALLS // 20),
]
