# pvmm: a Xen PV x86-64 guest kernel and its MMU layer.
#
#   make            build the guest image, build/pvmm.elf
#   make run        set up the machine, boot the image as a domU under xl, print its results
#   make test       set up the machine, run the test suite under real Xen (see tests/pv-guest/)
#
# Variables: TESTS="name ..." selects tests, JOBS=N runs N QEMUs at once,
# RUN_ARGS="test=NAME key=value ..." is the guest command line of make run,
# SOAK_LIFETIMES=N sets the teardown soak's length (800 by default, 10000 in full).

BUILD    ?= build
CC       ?= gcc
JOBS     ?= 2
TESTS    ?=
RUN_ARGS ?= test=smoke
export SOAK_LIFETIMES

GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

# The Xen public headers come from Debian's libxen-dev. They are reached
# through a private include root holding only a link to them, so that
# nothing else from the host's /usr/include can leak into a freestanding
# kernel.
XEN_HEADERS ?= /usr/include/xen

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
	-mgeneral-regs-only -fno-stack-protector -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-nostdinc -isystem $(GCC_INCLUDE) -I$(BUILD)/include \
	-Iinclude -Iarch/x86/xen/include -Ihypercall/include -Ixen \
	-D__XEN_INTERFACE_VERSION__=0x00040e00 -DXEN_HAVE_PV_GUEST_ENTRY \
	-DXEN_HAVE_PV_UPCALL_MASK
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLY__
# The Xen headers expect the fixed-width types to be declared already.
CFLAGS += -include stdint.h -include stdbool.h
LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -Wl,-z,max-page-size=4096 \
	-Wl,-T,arch/x86/xen/pvmm.lds

SRCS := $(wildcard arch/x86/xen/*.S arch/x86/xen/*.c hypercall/*.c xen/pv-mmu/*.c kernel/*.c \
	lib/*.c tests/pv-guest/guest/*.c)
OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(basename $(SRCS)))
DEPS := $(OBJS:.o=.d)

.DEFAULT_GOAL := all

# User programs: freestanding ELF executables, each embedded in the image.
USER_CFLAGS := $(filter-out -mcmodel=kernel -Iarch/x86/xen/include -Ihypercall/include -Ixen,$(CFLAGS)) \
	-Iuser/include
USER_PROGRAMS := $(sort $(basename $(notdir $(wildcard user/programs/*.c))))
USER_ELFS := $(USER_PROGRAMS:%=$(BUILD)/user/%.elf)
USER_LIB := $(addprefix $(BUILD)/user/obj/,crt0.o ulib.o printf.o string.o)

$(BUILD)/user/obj/crt0.o: user/lib/crt0.S | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -include stdint.h -include stdbool.h,$(USER_CFLAGS)) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/user/obj/%.o: user/lib/%.c | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/user/obj/%.o: lib/%.c | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/user/obj/programs/%.o: user/programs/%.c | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/user/%.elf: $(BUILD)/user/obj/programs/%.o $(USER_LIB) user/user.lds
	$(CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,noexecstack -Wl,-T,user/user.lds -o $@ \
		$(filter %.o,$^)

# The table of built-in programs: name, ELF image, size.
$(BUILD)/user/programs.S: $(USER_ELFS)
	@{ echo '	.section .rodata'; \
	  for p in $(USER_PROGRAMS); do \
		echo "	.balign 16"; echo "image_$$p: .incbin \"$(BUILD)/user/$$p.elf\""; \
		echo "end_$$p:"; echo "name_$$p: .asciz \"$$(echo $$p | tr _ -)\""; \
	  done; \
	  echo '	.balign 8'; echo '	.globl user_programs'; echo 'user_programs:'; \
	  for p in $(USER_PROGRAMS); do \
		echo "	.quad name_$$p, image_$$p, end_$$p - image_$$p"; \
	  done; \
	  echo '	.quad 0, 0, 0'; } > $@

$(BUILD)/obj/user_programs.o: $(BUILD)/user/programs.S
	$(CC) -c $< -o $@

OBJS += $(BUILD)/obj/user_programs.o
DEPS += $(USER_LIB:.o=.d) $(USER_PROGRAMS:%=$(BUILD)/user/obj/programs/%.d)

all: $(BUILD)/pvmm.elf

$(BUILD)/include/xen:
	@test -f $(XEN_HEADERS)/xen.h || { echo "pvmm: $(XEN_HEADERS)/xen.h not found: install libxen-dev (scripts/setup.sh does)" >&2; exit 1; }
	@mkdir -p $(BUILD)/include
	ln -sfn $(XEN_HEADERS) $@

$(BUILD)/obj/%.o: %.c | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/%.o: %.S | $(BUILD)/include/xen
	@mkdir -p $(dir $@)
	$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/pvmm.elf: $(OBJS) arch/x86/xen/pvmm.lds
	$(CC) $(LDFLAGS) -o $@ $(OBJS)

setup:
	scripts/setup.sh

run: setup all
	tests/pv-guest/run --build $(BUILD) --xl-run "$(RUN_ARGS)"

test: setup all
	tests/pv-guest/run --build $(BUILD) -j $(JOBS) $(TESTS)

clean:
	rm -rf $(BUILD)

# Keep the user programs' objects: they are intermediates of pattern chains.
.SECONDARY:

.PHONY: all setup run test clean
-include $(DEPS)
