"""lifecycle: xl ends a busy guest. A soak runs on every vCPU until dom0, seeing the guest's
"lifecycle: soaking" line, asks the domain to end: xl shutdown and xl reboot through
control/shutdown (every process stopped, every mm torn down in check mode, every page back,
the domain shut down with the reason asked for), xl destroy (Xen gets all of its memory back,
no domain is left), a request pvmm does not honour (a console line, nothing changes), and a
request to a test that does not expect one (it ends early with ERROR). docs/lifecycle.md."""

import re

from runner.entry import Entry

SOAKING = "lifecycle: soaking"
IGNORED = "pvmm: control/shutdown request 'bogus' ignored: pvmm honours poweroff, halt and reboot"
UNCLAIMED_START = ("pvmm: running test teardown-soak: processes forking, threading and exiting on all "
                   "vCPUs, kernel threads between")


def two_boots(lines):
    """The reboot entry: a first boot ended by the reboot, a second by the poweroff."""
    requests = [m.group(1) for m in (re.match(r"^lifecycle: request=(\w+) ", l) for l in lines) if m]
    results = [l for l in lines if l.startswith("Test result: ")]
    if requests != ["reboot", "poweroff"]:
        return f"requests seen across the boots: {requests}, expected ['reboot', 'poweroff']"
    if results != ["Test result: SUCCESS"] * 2:
        return f"result lines across the boots: {results}, expected two SUCCESS"
    return None


ENTRIES = [
    Entry("lifecycle-shutdown", "check=1", mode="xl", vcpus=2,
          dom0_actions=[(SOAKING, "xl shutdown -w $DOM")], xl_end="poweroff",
          output=[r"^lifecycle: request=poweroff after \d+ lifetimes$", r"^processes_stopped=([2-9]|[1-9]\d+)$"]),
    Entry("lifecycle-reboot", "check=1", mode="xl", vcpus=2, xl={"on_reboot": "restart"},
          dom0_actions=[(SOAKING, "xl reboot $DOM"), (SOAKING, "xl shutdown -w $DOM")],
          xl_end="poweroff", check=two_boots),
    Entry("lifecycle-destroy", "check=1", mode="xl", vcpus=2, expect="none",
          dom0_actions=[(SOAKING, "xl destroy $DOM")], xl_end="destroyed", memory_back=True),
    Entry("lifecycle-unknown-request", "check=1", mode="xl", vcpus=2,
          dom0_actions=[(SOAKING, "xenstore-write /local/domain/$DOMID/control/shutdown bogus"),
                        (IGNORED, "xl shutdown -w $DOM")],
          xl_end="poweroff", output=[r"^lifecycle: request=poweroff "]),
    Entry("lifecycle-unclaimed", "check=1 lifetimes=1000000", test="teardown-soak", mode="xl",
          vcpus=2, expect="ERROR", dom0_actions=[(UNCLAIMED_START, "xl shutdown -w $DOM")],
          xl_end="poweroff",
          output=[r"^pvmm: the toolstack asked for poweroff before the test ended",
                  r"^pvmm: \d+ processes stopped, their address spaces torn down$"]),
]
