"""vcpu-wait: a vCPU asleep in Xen waiting for a lock, or for the answer to its call, is woken:
every other vCPU sleeps on a held lock and each gets it after the release; a caller whose call
is held until it announced its sleep gets the answer. A lost kick ends in ERROR after 10 s."""

from runner.entry import Entry

ENTRIES = [Entry(f"vcpu-wait-{n}", vcpus=n) for n in (2, 4, 8)]
