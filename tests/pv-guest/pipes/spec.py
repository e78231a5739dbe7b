"""pipes: Linux's pipe semantics between a parent and a forked child: one-byte round trips with
both on one vCPU and on two (blocked readers woken across vCPUs), a write larger than the ring,
end of file, -EPIPE, -EBADF; the hypercalls per round trip are printed."""

from runner.entry import Entry

ENTRIES = [
    Entry("pipes-2", test="pipes", vcpus=2,
          output=[r"^pipe_round_trip_vcpus_1\.hypercalls=", r"^pipe_round_trip_vcpus_2\.hypercalls="]),
]
