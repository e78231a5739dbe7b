"""The pvmm test runner's modules (tests/pv-guest/run is the entry point; docs/runner.md).

  entry    Entry: one test of the suite, as a scenario's spec.py declares it
  suite    the loader: every tests/pv-guest/*/spec.py, checked against the image's tests
  options  the global options table (kernel/global-options.toml)
  qemu     QEMU on a pipe, Xen's start and failures
  modes    direct and xl mode: one guest boot each, its Outcome
  host     --host: the xl-mode tests on a real Xen host, through dom0/xl-jobs
  judge    an Outcome against its Entry; the TAP reporter
  xenlog   Xen's complaints about the guest, from the serial line
  junit    --junit: the verdicts as JUnit XML
  shard    --shard: the split of the suite into N parts
  xentrace Xen's own hypercall counts from a xentrace file
"""


class RunnerError(Exception):
    """A problem with the host or the suite, not with a guest: one line, then exit 2."""
