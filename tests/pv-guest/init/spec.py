"""init: the guest runs its initramfs (build/initramfs/test.cpio: /init and /bin/hello, built
from the project's own programs) as Linux would: /init starts, runs /bin/hello from the
archive, and ends the system with reboot(2). The ramdisk reaches the guest the PV way: as the
second multiboot module of an initial domain, or through xl's ramdisk=."""

from runner.entry import LINUX_VERSIONS, Entry

RAMDISK = "initramfs/test.cpio"
BUSYBOX = "initramfs/busybox.cpio"
# Debian's busybox-static, unmodified (program-busybox.c): each form's exit status and output.
BUSYBOX_RAN = [r"^busybox-init: true exited with 0$", r"^busybox-init: false exited with 1$",
               r"^loop 100$", r"^busybox-init: sh loop exited with 3$",
               r"^commands ran, the last 1$", r"^through a pipe$", r"^busybox-init: sh commands exited with 0$",
               r"^busybox-init: xargs \(vfork\) exited with 123$",
               r"^busybox-init: gzip exited with 0, \d{4,} bytes, the host's \d+: identical$",
               r"^busybox-init: TLS of 2 processes over 100 switches: exited with 0 and 0$",
               r"^reboot=0x4321fedc$"]
# The launcher as /init (user/programs/launcher.c) running user/bench/busybox.phases: the
# phase lines the runner reads, marker phases first and last, and every run's exit status.
LAUNCH = "initramfs/busybox-bench.cpio"
LAUNCHED = [r"^bench: phase 0 marker iterations=1$", r"^bench: phase 1 busybox_true iterations=10$",
            r"^bench: phase 2 sh_loop iterations=5$", r"^bench: phase 3 gzip_file iterations=5$",
            r"^bench: phase 4 marker iterations=1$",
            r"^launcher: phase busybox_true: all 11 runs exited with 0$",
            r"^launcher: phase sh_loop: all 6 runs exited with 0$",
            r"^launcher: phase gzip_file: all 6 runs exited with 0$"]
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
    Entry("init-busybox", test="init", ramdisk=BUSYBOX, output=BUSYBOX_RAN),
    Entry("init-busybox-xl", test="init", mode="xl", ramdisk=BUSYBOX, output=BUSYBOX_RAN),
    Entry("init-launcher", test="init", ramdisk=LAUNCH, output=LAUNCHED + [r"^reboot=0x4321fedc$"]),
    # A phase file it must refuse, before any phase runs: one line saying which and why.
    Entry("init-launcher-bad", test="init", ramdisk="initramfs/launcher-bad.cpio",
          output=[r"^launcher: ERROR: /phases line 2: iterations 'many': a number from 1 to \d+; "
                  r"a line is NAME ITERATIONS PROGRAM ARGS\.\.\.$"]),
    # The same cpio traced by Xen and split into its phases, as make bench CPIO= does.
    Entry("init-launcher-trace", test="init", mode="xl", ramdisk=LAUNCH, xentrace=True, phases=True,
          timeout=180, output=LAUNCHED),
    # And under Debian's Linux: the same launcher and busybox, on Linux's system calls. On
    # request (80 s here): make bench CPIO= runs it under Linux, traced, anyway.
    Entry("init-launcher-linux", "console=hvc0 quiet", test="init", mode="xl", kernel="linux", ramdisk=LAUNCH,
          expect="none", xl_end="poweroff", memory_mb=160, timeout=150, xen_complaints=LINUX_COMPLAINTS,
          on_request=True, output=LAUNCHED),
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
