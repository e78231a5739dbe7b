"""init: the guest runs its initramfs (build/initramfs/test.cpio: /init and /bin/hello, built
from the project's own programs) as Linux would: /init starts, runs /bin/hello from the
archive, and ends the system with reboot(2). The ramdisk reaches the guest the PV way: as the
second multiboot module of an initial domain, or through xl's ramdisk=."""

from runner.entry import LINUX_VERSIONS, Entry

RAMDISK = "initramfs/test.cpio"
BENCH = "initramfs/bench.cpio"
BENCH_MP = "initramfs/bench-mp.cpio"
# make bench CPIO=FILE: the Makefile copies your workload's archive here, in both builds.
CUSTOM = "initramfs/custom.cpio"
MP_LAST = r"^bench: phase 9 switch_mix iterations=\d+$"
MP_VCPUS = (2, 4, 8)
MP_VCPUS_PVMM = MP_VCPUS + (32, 64)     # pvmm's flush and teardown costs further out
# What Xen says about Debian's Linux as a domU, not about pvmm: at boot on QEMU's (AMD) CPU, Linux
# reads MSR 0xc0010055 (AMD's interrupt-pending message register), which Xen does not emulate for
# a PV guest; a debug Xen says so (dom0, the same kernel, does the same at every xl-mode boot).
LINUX_COMPLAINTS = [r"^arch/x86/pv/emul-priv-op\.c:\d+:d\d+v\d+ RDMSR 0xc0010055 unimplemented$"]
RAN = [r"^pvmm: initramfs: 2 files in \d+ bytes$", r"^init: argc=1 argv\[0\]=/init$",
       r"^hello: pid \d+, argument 7,", r"^init: /bin/hello exited with 7$", r"^reboot=0x4321fedc$"]

ENTRIES = [
    Entry("init", ramdisk=RAMDISK, output=RAN),
    Entry("init-xl", test="init", mode="xl", ramdisk=RAMDISK, output=RAN),
    # An init that just exits: what panics Linux is a FAILURE here.
    Entry("init-exits", "rdinit=/bin/hello", test="init", expect="FAILURE", ramdisk=RAMDISK,
          output=[r"^FAIL: .*: /bin/hello ended \(status 0\) without reboot\(2\)"]),
    Entry("init-missing", "rdinit=/sbin/init", test="init", expect="ERROR", ramdisk=RAMDISK,
          output=[r"rdinit=/sbin/init: no such file in the initramfs"]),
    Entry("init-no-ramdisk", test="init", expect="ERROR", output=[r"no initramfs: boot the guest with a ramdisk"]),
    # The same ramdisk under Debian's Linux kernel as a PV domU: the same /init and /bin/hello
    # run, on Linux's system calls (pvmm's own answer -ENOSYS there), and power the domain off.
    Entry("init-linux", "console=hvc0 quiet", test="init", mode="xl", kernel="linux", ramdisk=RAMDISK,
          expect="none", xl_end="poweroff", memory_mb=160, timeout=150, xen_complaints=LINUX_COMPLAINTS,
          output=[r"^init: argc=1 argv\[0\]=/init$", rf"^hello: pid \d+, argument 7, -{38} vCPUs$",
                  r"^init: /bin/hello exited with 7$"]),
    # The benchmark's workloads (tests/pv-guest/bench/), the same ramdisk under both kernels,
    # each run traced by Xen and split into phases (docs/bench.md; make bench writes the
    # report). In make test: the phases must all be found in the trace.
    Entry("init-bench", test="init", mode="xl", vcpus=2, ramdisk=BENCH, xentrace=True, phases=True,
          timeout=180, output=[r"^bench: phase 8 munmap8_loaded_on_2 iterations=\d+$"]),
    # Under Linux, Debian 12's 6.1 and Debian 13's 6.12 (runner/linux.py): on request (make
    # bench). Its boot is traced too (some 20 MB, over dom0's 9p share, docs/runner.md).
    *[Entry(f"init-bench-linux{'' if v == '6.1' else '-' + v}", "console=hvc0 quiet", test="init", mode="xl",
            kernel="linux", linux=v, ramdisk=BENCH, vcpus=2, expect="none", xl_end="poweroff", memory_mb=160,
            timeout=600, xentrace=True, phases=True, on_request=True, xen_complaints=LINUX_COMPLAINTS,
            output=[r"^bench: phase 8 munmap8_loaded_on_2 iterations=\d+$"])
      for v in LINUX_VERSIONS],
    # The workloads over every vCPU (tests/pv-guest/bench/program-mp.c), at 2, 4 and 8 vCPUs
    # under both kernels, and at 32 and 64 under pvmm: on request (make bench).
    *[Entry(f"init-bench-mp-{n}", test="init", mode="xl", vcpus=n, ramdisk=BENCH_MP, xentrace=True,
            phases=True, timeout=300 if n <= 8 else 600, on_request=True,
            output=[rf"^bench-mp: {n} vCPUs$", MP_LAST])
      for n in MP_VCPUS_PVMM],
    *[Entry(f"init-bench-mp-linux-{'' if v == '6.1' else v + '-'}{n}", "console=hvc0 quiet", test="init", mode="xl",
            kernel="linux", linux=v, ramdisk=BENCH_MP, vcpus=n, expect="none", xl_end="poweroff", memory_mb=160,
            timeout=600, xentrace=True, phases=True, on_request=True, xen_complaints=LINUX_COMPLAINTS,
            output=[rf"^bench-mp: {n} vCPUs$", MP_LAST])
      for v in LINUX_VERSIONS for n in MP_VCPUS],
    # Your own workload (make bench CPIO=FILE, docs/bench.md): any phases, under every system.
    Entry("init-bench-cpio", test="init", mode="xl", vcpus=2, ramdisk=CUSTOM, xentrace=True, phases=True,
          timeout=600, on_request=True),
    *[Entry(f"init-bench-cpio-linux{'' if v == '6.1' else '-' + v}", "console=hvc0 quiet", test="init", mode="xl",
            kernel="linux", linux=v, ramdisk=CUSTOM, vcpus=2, expect="none", xl_end="poweroff", memory_mb=160,
            timeout=600, xentrace=True, phases=True, on_request=True, xen_complaints=LINUX_COMPLAINTS)
      for v in LINUX_VERSIONS],
]
