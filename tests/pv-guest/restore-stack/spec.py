"""restore-stack: a save and restore, and the process that vCPU 1 ran last before the save
runs first on it after the restore (vCPU 1 is started afresh in the new domain): each of its
entries from user mode lands on its own kernel stack."""

from runner.entry import Entry

READY = "restore-stack: 100 entries on vCPU 1; save me"
SAVE = "xl save $DOM /tmp/$DOM.save && xl restore -e /tmp/$DOM.save; rc=$?; rm -f /tmp/$DOM.save; exit $rc"

ENTRIES = [
    Entry("restore-stack", mode="xl", vcpus=2, timeout=180, dom0_actions=[(READY, SAVE)],
          output=[r"^restore-stack: 100 entries on vCPU 1 after the restore", r"^suspends_resumed=1$"]),
]
