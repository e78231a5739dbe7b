# pvmm: a Xen PV x86-64 guest kernel and its MMU layer.
#
#   make            build the guest image, build/pvmm.elf
#   make run        set up the machine, boot the image as a domU under xl, print its results
#   make test       set up the machine, run the test suite under real Xen (see tests/pv-guest/)
#   make model      model-check the TLB protocol with spin (model/README.md; part of make test)
#
# Variables: TESTS="name ..." selects tests, JOBS=N runs N QEMUs at once,
# RUN_ARGS="test=NAME key=value ..." is the guest command line of make run,
# SOAK_LIFETIMES=N sets the teardown soak's length (800 by default, 10000 in full);
# XEN=debian|4.17-debug|4.17-shadow|4.20|PATH picks the hypervisor of run, test, bench and
# stress (docs/xen.md), XEN_ARGS="..." adds to its command line; JUNIT=FILE is where make test
# writes its JUnit XML (build/junit/XEN.xml by default);
# FUZZ_CALLS=N and FUZZ_SEED=S the system-call fuzzer's (3000 calls a main thread, seed 1);
# REUSE_CYCLES=N the address-reuse soak's (2000 by default, 1000000 in full).
#
#   make stress     the suite STRESS_ROUNDS times (default 5) beside a CPU hog, with each
#                   test's pass rate (about half an hour; not part of make test)

# The TLB model: loaded_mm (the seed's), or active_mm (the one it replaced, to compare:
# docs/tlb.md), built apart in build/active_mm.
MODEL    ?= loaded_mm
ifeq ($(MODEL),loaded_mm)
BUILD    ?= build
else ifeq ($(MODEL),active_mm)
BUILD    ?= build/active_mm
else
$(error MODEL=$(MODEL): valid models are loaded_mm (the default) and active_mm (the pre-seed one))
endif
CC       ?= gcc
JOBS     ?= 2
TESTS    ?=
RUN_ARGS ?= test=smoke
STRESS_ROUNDS ?= 5
# xl mode's dom0 kernel and initramfs, built once and shared by every build folder.
DOM0     ?= build/dom0
# The hypervisor: Debian's binary, a named build (made once by scripts/xen-build into
# XEN_CACHE, shared by every build folder), or the path of a xen.gz of your own.
XEN      ?= debian
XEN_ARGS ?=
XEN_CACHE ?= build/xen
# make test's JUnit file, one per Xen (a path of your own is "custom").
JUNIT    ?= $(BUILD)/junit/$(if $(findstring /,$(XEN)),custom,$(XEN)).xml
runner   = tests/pv-guest/run --build $(1) --dom0 $(DOM0) --xen $(XEN) --xen-cache $(XEN_CACHE) \
	--xen-args "$(XEN_ARGS)"
export SOAK_LIFETIMES FUZZ_CALLS FUZZ_SEED REUSE_CYCLES

GCC_INCLUDE := $(shell $(CC) -print-file-name=include)
HOSTCC ?= gcc

# The Xen public headers come from Debian's libxen-dev. They are reached
# through a private include root holding only a link to them, so that
# nothing else from the host's /usr/include can leak into a freestanding
# kernel.
XEN_HEADERS ?= /usr/include/xen
# The system-call ABI is Linux's x86-64 one: its numbers, flags and error
# values come from Debian's linux-libc-dev the same way, through a root
# that holds only the linux/, asm/ and asm-generic/ UAPI directories and
# is searched after pvmm's own (whose asm/ names none of theirs).
LINUX_UAPI ?= /usr/include
LINUX_UAPI_ARCH ?= /usr/include/x86_64-linux-gnu

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
	-mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-nostdinc -isystem $(GCC_INCLUDE) -I$(BUILD)/include \
	-Iinclude -Ikernel/include -Iarch/x86/xen/include -Ihypercall/include -Ixen \
	-idirafter $(BUILD)/include/linux-uapi \
	-D__XEN_INTERFACE_VERSION__=0x00040e00 -DXEN_HAVE_PV_GUEST_ENTRY \
	-DXEN_HAVE_PV_UPCALL_MASK
ifeq ($(MODEL),active_mm)
CFLAGS += -DPVMM_MODEL_ACTIVE_MM
endif
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLY__
# The Xen headers expect the fixed-width types to be declared already.
CFLAGS += -include stdint.h -include stdbool.h
LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -Wl,-z,max-page-size=4096 \
	-Wl,-T,arch/x86/xen/pvmm.lds

# The guest tests: one folder per scenario (tests/pv-guest/NAME/), whose C
# files other than its user programs are built into the image, with the
# helpers they share (tests/pv-guest/lib/).
TEST_PROGRAM_SRCS := $(wildcard tests/pv-guest/*/program.c tests/pv-guest/*/program-*.c)
TEST_SRCS := $(filter-out $(TEST_PROGRAM_SRCS),$(wildcard tests/pv-guest/*/*.c))
MODEL_SRCS := xen/pv-mmu/tlb_loaded_mm.c xen/pv-mmu/tlb_active_mm.c
SRCS := $(filter-out $(filter-out xen/pv-mmu/tlb_$(MODEL).c,$(MODEL_SRCS)), \
	$(wildcard arch/x86/xen/*.S arch/x86/xen/*.c hypercall/*.c xen/pv-mmu/*.c kernel/*.c \
	lib/*.c)) $(TEST_SRCS)
OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(SRCS)))
DEPS := $(OBJS:.o=.d)
GENERATED := $(BUILD)/include/generated/global_options.h

.DEFAULT_GOAL := all

$(BUILD)/obj/tests/%.o: CFLAGS += -Itests/pv-guest/lib

# The global options, defined once for the kernel and the runner.
$(GENERATED): kernel/global-options.toml scripts/gen-global-options
	@mkdir -p $(dir $@)
	scripts/gen-global-options $< $@

# User programs: freestanding ELF executables, each embedded in the image.
# A program shared by several scenarios is user/programs/NAME.c; one that a
# single scenario runs lives in its folder: program.c is named after the
# scenario, program-X.c is SCENARIO-X.
USER_CFLAGS := $(filter-out -mcmodel=kernel -Ikernel/include -Iarch/x86/xen/include -Ihypercall/include -Ixen,$(CFLAGS)) \
	-Iuser/include
program_name = $(if $(filter user/programs/%,$(1)),$(basename $(notdir $(1))),$(notdir $(patsubst %/,%,$(dir $(1))))$(patsubst program%,%,$(basename $(notdir $(1)))))
USER_PROGRAM_SRCS := $(wildcard user/programs/*.c) $(TEST_PROGRAM_SRCS)
# exec-missing-truncated is exec-missing's program cut short inside its data segment: a
# malformed program that exec starts loading before it fails.
USER_PROGRAMS := $(sort $(foreach src,$(USER_PROGRAM_SRCS),$(call program_name,$(src))) \
	exec-missing-truncated)
USER_ELFS := $(USER_PROGRAMS:%=$(BUILD)/user/%.elf)
USER_LIB := $(addprefix $(BUILD)/user/obj/,crt0.o thread.o ulib.o printf.o string.o)

$(BUILD)/user/obj/%.o: user/lib/%.S | $(BUILD)/include/xen $(BUILD)/include/linux-uapi
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -include stdint.h -include stdbool.h,$(USER_CFLAGS)) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/user/obj/%.o: user/lib/%.c | $(BUILD)/include/xen $(BUILD)/include/linux-uapi
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/user/obj/%.o: lib/%.c | $(BUILD)/include/xen $(BUILD)/include/linux-uapi
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/user/obj/%.o: %.c | $(BUILD)/include/xen $(BUILD)/include/linux-uapi
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

define user_program
$(BUILD)/user/$(call program_name,$(1)).elf: $(BUILD)/user/obj/$(basename $(1)).o $$(USER_LIB) user/user.lds
	$$(CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack -Wl,-T,user/user.lds -o $$@ \
		$$(filter %.o,$$^)
endef
$(foreach src,$(USER_PROGRAM_SRCS),$(eval $(call user_program,$(src))))

$(BUILD)/user/exec-missing-truncated.elf: $(BUILD)/user/exec-missing.elf scripts/truncate-elf
	scripts/truncate-elf $< $@

# The table of built-in programs: name, ELF image, size (symbols use the
# name with '-' as '_').
$(BUILD)/user/programs.S: $(USER_ELFS)
	@{ echo '	.section .rodata'; \
	  for p in $(USER_PROGRAMS); do s=$$(echo $$p | tr - _); \
		echo "	.balign 16"; echo "image_$$s: .incbin \"$(BUILD)/user/$$p.elf\""; \
		echo "end_$$s:"; echo "name_$$s: .asciz \"$$p\""; \
	  done; \
	  echo '	.balign 8'; echo '	.globl user_programs'; echo 'user_programs:'; \
	  for p in $(USER_PROGRAMS); do s=$$(echo $$p | tr - _); \
		echo "	.quad name_$$s, image_$$s, end_$$s - image_$$s"; \
	  done; \
	  echo '	.quad 0, 0, 0'; } > $@

$(BUILD)/obj/user_programs.o: $(BUILD)/user/programs.S
	$(CC) -c $< -o $@

OBJS += $(BUILD)/obj/user_programs.o
DEPS += $(USER_LIB:.o=.d) $(patsubst %.c,$(BUILD)/user/obj/%.d,$(USER_PROGRAM_SRCS))

all: $(BUILD)/pvmm.elf $(BUILD)/tests.list $(BUILD)/model $(BUILD)/initramfs/test.cpio \
	$(BUILD)/initramfs/bench.cpio $(BUILD)/initramfs/bench-mp.cpio $(BUILD)/initramfs/busybox.cpio \
	$(BUILD)/initramfs/busybox-bench.cpio $(BUILD)/initramfs/launcher-bad.cpio

# The workloads that spread over every vCPU (make bench runs them at 2, 4 and 8 vCPUs).
$(BUILD)/initramfs/bench-mp.cpio: $(BUILD)/user/bench-mp.elf
	rm -rf $@.d && mkdir -p $@.d
	cp $(BUILD)/user/bench-mp.elf $@.d/init
	cd $@.d && find . | LC_ALL=C sort | cpio -o -H newc --quiet > $(abspath $@).tmp
	rm -rf $@.d && mv $@.tmp $@

# The TLB model the image holds, for the runner (tests of one model's workings run on it alone).
$(BUILD)/model: FORCE
	@mkdir -p $(BUILD)
	@echo $(MODEL) | cmp -s - $@ || echo $(MODEL) > $@

# The init tests' ramdisk: a newc cpio, as Linux's initramfs, of the
# project's own programs (tests/pv-guest/init/program.c as /init).
$(BUILD)/initramfs/test.cpio: $(BUILD)/user/init.elf $(BUILD)/user/hello.elf
	@command -v cpio >/dev/null || { echo "pvmm: cpio not found: install cpio (scripts/setup.sh does)" >&2; exit 1; }
	rm -rf $@.d && mkdir -p $@.d/bin
	cp $(BUILD)/user/init.elf $@.d/init
	cp $(BUILD)/user/hello.elf $@.d/bin/hello
	cd $@.d && find . | LC_ALL=C sort | cpio -o -H newc --quiet > $(abspath $@).tmp
	rm -rf $@.d && mv $@.tmp $@

# The benchmark's ramdisk: its workloads as /init, the exec phase's /bin/true.
$(BUILD)/initramfs/bench.cpio: $(BUILD)/user/bench.elf $(BUILD)/user/bench-true.elf
	rm -rf $@.d && mkdir -p $@.d/bin
	cp $(BUILD)/user/bench.elf $@.d/init
	cp $(BUILD)/user/bench-true.elf $@.d/bin/true
	cd $@.d && find . | LC_ALL=C sort | cpio -o -H newc --quiet > $(abspath $@).tmp
	rm -rf $@.d && mv $@.tmp $@

# init-busybox's ramdisk: Debian's busybox-static as it ships, a text to compress
# (seq's numbers: more than a pipe's page once gzipped) and the host's busybox's
# gzip of it (tests/pv-guest/init/program-busybox.c as /init). busybox-bench.cpio:
# the busybox demo for make bench CPIO= (docs/bench.md), the launcher as /init;
# launcher-bad.cpio: a phase file it must refuse.
BUSYBOX ?= /bin/busybox
$(BUILD)/initramfs/text:
	@test -x $(BUSYBOX) || { echo "pvmm: $(BUSYBOX) not found: install busybox-static (scripts/setup.sh does)" >&2; exit 1; }
	@mkdir -p $(@D)
	seq 1 3000 > $@
	$(BUSYBOX) gzip -c $@ > $@.gz
$(BUILD)/initramfs/busybox.cpio: $(BUILD)/user/init-busybox.elf $(BUILD)/initramfs/text scripts/bench-cpio
	scripts/bench-cpio $@ $< $(BUSYBOX):/bin/busybox $(BUILD)/initramfs/text:/data/text \
		$(BUILD)/initramfs/text.gz:/data/text.gz
$(BUILD)/initramfs/busybox-bench.cpio: $(BUILD)/user/launcher.elf user/bench/busybox.phases \
		$(BUILD)/initramfs/text scripts/bench-cpio
	LAUNCHER=$< scripts/bench-cpio $@ user/bench/busybox.phases $(BUSYBOX):/bin/busybox \
		$(BUILD)/initramfs/text:/data/text
$(BUILD)/initramfs/launcher-bad.cpio: $(BUILD)/user/launcher.elf scripts/bench-cpio
	printf 'busybox_true 3 /bin/busybox true\nsh_loop many /bin/busybox sh\n' > $@.phases
	LAUNCHER=$< scripts/bench-cpio $@ $@.phases $(BUSYBOX):/bin/busybox
	rm -f $@.phases

# The tests the image registers, one name a line, for the runner to check its specs against.
$(BUILD)/tests.list: $(BUILD)/pvmm.elf
	objcopy --dump-section .pvmm_test_names=$@ $< $(BUILD)/tests.list.elf
	@rm -f $(BUILD)/tests.list.elf

$(BUILD)/include/xen:
	@test -f $(XEN_HEADERS)/xen.h || { echo "pvmm: $(XEN_HEADERS)/xen.h not found: install libxen-dev (scripts/setup.sh does)" >&2; exit 1; }
	@mkdir -p $(BUILD)/include
	ln -sfn $(XEN_HEADERS) $@

$(BUILD)/include/linux-uapi:
	@test -f $(LINUX_UAPI_ARCH)/asm/unistd_64.h || { echo "pvmm: $(LINUX_UAPI_ARCH)/asm/unistd_64.h not found: install linux-libc-dev (scripts/setup.sh does)" >&2; exit 1; }
	@mkdir -p $@.tmp
	ln -sfn $(LINUX_UAPI)/linux $@.tmp/linux
	ln -sfn $(LINUX_UAPI)/asm-generic $@.tmp/asm-generic
	ln -sfn $(LINUX_UAPI_ARCH)/asm $@.tmp/asm
	@mv $@.tmp $@

$(BUILD)/obj/%.o: %.c | $(BUILD)/include/xen $(BUILD)/include/linux-uapi $(GENERATED)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.S | $(BUILD)/include/xen $(BUILD)/include/linux-uapi $(GENERATED)
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/pvmm.elf: $(OBJS) arch/x86/xen/pvmm.lds
	$(CC) $(LDFLAGS) -o $@ $(OBJS)

setup:
	scripts/setup.sh

run: setup all
	$(call runner,$(BUILD)) --xl-run "$(RUN_ARGS)"

# Which folder may include or call which: docs/README.md.
check-layers:
	scripts/check-layers

# Host-side unit tests of pure logic (tests/host/), with the host's compiler and C library.
$(BUILD)/host/cpio_test: tests/host/cpio_test.c lib/cpio.c include/pvmm/cpio.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -Iinclude -o $@ tests/host/cpio_test.c lib/cpio.c

# The runner's own logic too, and `run --host` against a fake xl (tests/pv-guest/dom0/host-mode-test).
host-test: $(BUILD)/host/cpio_test $(BUILD)/pvmm.elf $(BUILD)/tests.list $(BUILD)/model
	$(BUILD)/host/cpio_test
	python3 tests/host/xen_image_test.py
	python3 tests/host/runner_test.py
	tests/pv-guest/dom0/host-mode-test $(BUILD)

# The switch/flush/lazy/teardown protocol model-checked with spin (model/README.md): every
# check at 2 vCPUs and all but four proofs at 3 (three minutes long, one a candidate fix that
# is not the code), as TAP; MODEL_HEAVY=1 runs those at 3 too, MODEL_BOUNDS=full explores
# larger bounds (tens of minutes, GBs).
# The verifiers are built in $(BUILD)/spin (not $(BUILD)/model: that file names the TLB model).
MODEL_BOUNDS ?= default
MODEL_HEAVY ?=
model: setup
	model/check --out $(BUILD)/spin --bounds $(MODEL_BOUNDS) $(if $(MODEL_HEAVY),--heavy)

# The whole suite also writes the benchmark's quick report from init-bench's fresh run.
# The model checks run with the whole suite of the default TLB model (they cover both).
test: setup all check-layers host-test $(if $(TESTS),,$(if $(filter loaded_mm,$(MODEL)),model))
	$(if $(TESTS),,rm -f $(BUILD)/bench/init-bench.json)
	$(call runner,$(BUILD)) -j $(JOBS) --junit $(JUNIT) $(TESTS)
	$(if $(TESTS),,scripts/bench-report --quick $(BUILD))

# The same suite on the pre-seed model (docs/tlb.md), built in build/active_mm: the
# benchmark compares two correct models. CI runs it after make test; about as long.
test-active-mm:
	$(MAKE) MODEL=active_mm BUILD=$(BUILD)/active_mm DOM0=$(DOM0) XEN_CACHE=$(XEN_CACHE) test

clean:
	rm -rf $(BUILD)

# Keep the user programs' objects: they are intermediates of pattern chains.
.SECONDARY:

# The benchmark: the same workloads under pvmm, pvmm built with the pre-seed TLB model, and
# Debian's Linux 6.1 and 6.12, each a PV domU traced by Xen, BENCH_RUNS times (the repeats of
# two entries of one system in one boot of Xen and dom0), the spreading ones at BENCH_MP vCPUs
# (both pvmm models also at BENCH_MP_PVMM); build/bench/report.md gives each figure's median,
# minimum and maximum (docs/bench.md). BENCH_SYSTEMS picks systems (any of pvmm pre-seed linux-6.1
# linux-6.12), and BENCH_MP= BENCH_MP_PVMM= leave the spreading runs out: a shorter run while
# developing. CPIO=path/to/initramfs.cpio counts your own workload instead (its /init marks
# phases as tests/pv-guest/bench/phases.h says, docs/bench.md), under every system, without
# the spreading runs, into build/bench/cpio/. The time of each step is printed at the end.
BENCH_RUNS ?= 3
BENCH_MP ?= 2 4 8
BENCH_MP_PVMM ?= 32 64
BENCH_SYSTEMS ?= pvmm pre-seed linux-6.1 linux-6.12
CPIO ?=
comma := ,
bench_single := $(if $(CPIO),init-bench-cpio,init-bench)
bench_mp := $(if $(CPIO),,$(BENCH_MP))
bench_mp_pvmm := $(if $(CPIO),,$(BENCH_MP_PVMM))
# The pvmm entries, the longest (most vCPUs) first.
reverse = $(if $(1),$(call reverse,$(wordlist 2,$(words $(1)),$(1))) $(firstword $(1)))
bench_pvmm := $(foreach n,$(call reverse,$(bench_mp) $(bench_mp_pvmm)),init-bench-mp-$(n)) $(bench_single)
# Linux's of one version, most vCPUs first, the single-domain workloads last.
bench_linux_of = $(foreach n,$(call reverse,$(bench_mp)),init-bench-mp-linux-$(if $(filter 6.1,$(1)),,$(1)-)$(n)) \
	$(bench_single)-linux$(if $(filter 6.1,$(1)),,-$(1))
# $(call pair,LIST): the longest with the shortest, the second with the last but one...,
# joined by '+': each pair is one boot of Xen and dom0 (tests/pv-guest/run NAME+NAME), which
# took 15 to 40 s here, as long as a pvmm run or three, and the pairs come out of similar length.
pair = $(if $(word 2,$(1)),$(firstword $(1))+$(lastword $(1)) \
	$(call pair,$(wordlist 2,$(words $(wordlist 2,$(words $(1)),$(1))),$(1))),$(1))
# Linux's boots first, the longest (8 vCPUs, 6.12 then 6.1) first, so that no long one is left
# to run alone at the end.
bench_linux_pairs = $(if $(filter linux-$(1),$(BENCH_SYSTEMS)),$(call pair,$(call bench_linux_of,$(1))))
bench_linux := $(foreach i,1 2 3 4 5,$(word $(i),$(call bench_linux_pairs,6.12)) $(word $(i),$(call bench_linux_pairs,6.1)))
# $(call bench_done,NAME): the time since the last mark, appended to build/bench/steps as NAME's,
# and a new mark; a line of its own, so that make -n bench runs none of the steps.
bench_done = @echo "$(1): $$(($$(date +%s) - $$(cat $(BUILD)/bench/mark))) s" >>$(BUILD)/bench/steps; \
	date +%s >$(BUILD)/bench/mark
bench:
	@test -z "$(CPIO)" || test -f "$(CPIO)" || { echo "pvmm: CPIO=$(CPIO): no such file: give the path of a newc cpio archive (docs/bench.md)" >&2; exit 1; }
	@mkdir -p $(BUILD)/bench $(BUILD)/active_mm/bench
	find $(BUILD)/bench $(BUILD)/active_mm/bench -maxdepth 1 -name '*-run*.json' \
	  $(if $(CPIO),,-not) -name 'init-bench-cpio*' -delete
	@rm -f $(BUILD)/bench/steps; date +%s >$(BUILD)/bench/mark
	scripts/setup.sh bench
	$(MAKE) all
	$(MAKE) MODEL=active_mm BUILD=$(BUILD)/active_mm all
	$(call bench_done,setup and builds)
	$(if $(CPIO),cp $(CPIO) $(BUILD)/initramfs/custom.cpio && cp $(CPIO) $(BUILD)/active_mm/initramfs/custom.cpio)
	$(call runner,$(BUILD)) -j 2 --runs $(BENCH_RUNS) \
	  $(bench_linux) $(if $(filter pvmm,$(BENCH_SYSTEMS)),$(call pair,$(bench_pvmm)))
	$(call bench_done,pvmm and Linux runs)
	$(if $(filter pre-seed,$(BENCH_SYSTEMS)),$(call runner,$(BUILD)/active_mm) -j 2 --runs $(BENCH_RUNS) $(call pair,$(bench_pvmm)))
	$(if $(filter pre-seed,$(BENCH_SYSTEMS)),$(call bench_done,pre-seed runs))
	scripts/bench-report $(if $(CPIO),--cpio $(CPIO)) \
	  --vcpus "$(subst $() ,$(comma),$(strip $(bench_mp)))" --pvmm-vcpus "$(subst $() ,$(comma),$(strip $(bench_mp_pvmm)))" \
	  $(BUILD) $(BUILD)/active_mm
	$(call bench_done,report)
	@echo "make bench: the time of each step"; sed 's/^/  /' $(BUILD)/bench/steps

stress: setup all check-layers
	scripts/stress --build $(BUILD) --dom0 $(DOM0) --xen $(XEN) --xen-args "$(XEN_ARGS)" -k $(STRESS_ROUNDS) -j $(JOBS) $(TESTS)

.PHONY: all setup run test test-active-mm host-test model bench stress check-layers clean FORCE
-include $(DEPS)
