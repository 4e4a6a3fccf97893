# hailsim — top-level build.  `make help` lists the targets.
#
# Two worlds: the host simulator and tools (system gcc, C11) and the target
# firmware and test images (arm-none-eabi-gcc, Cortex-M4 Thumb-2).

BUILD    ?= build
# one spelling per build directory: the dependency files (.d) name objects as
# they were built, so an absolute BUILD inside the checkout (tests pass one)
# must not miss the header dependencies a relative one recorded
override BUILD := $(patsubst $(CURDIR)/%,%,$(abspath $(BUILD)))
CI       ?=
HOST_CC  ?= gcc
PKGS     := unicorn yaml-0.1 check sdl2

# -Werror in CI (and whenever WERROR=1); warnings always on.
ifneq ($(CI),)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WFLAGS_ERR := -Werror
endif

SANITIZE ?=
ifneq ($(SANITIZE),)
# sanitizer builds also check, at every block, that the block hook's fast
# path skipped no due work (HAILSIM_CHECK_BOUNDARY, sim/cpu.c)
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -DHAILSIM_CHECK_BOUNDARY
endif

HOST_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g \
	-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	$(WFLAGS_ERR) $(SAN_FLAGS) -Isim -I$(BUILD)/gen

# Unicorn: 2.1 from Debian trixie, fetched once into .deps/unicorn by
# tools/unicorn21.sh (Debian 12's 2.0.1 takes a slow path on every guest
# store: docs/performance.md); UNICORN=system links Debian 12's instead, and
# so does a machine where the fetch failed (the script says why).
UNICORN ?= auto
UC_DIR  := .deps/unicorn
ifeq ($(UNICORN),auto)
ifeq ($(filter clean clean-deps help,$(MAKECMDGOALS)),)
$(shell bash tools/unicorn21.sh $(UC_DIR) >&2)
endif
UC_LOCAL := $(if $(wildcard $(UC_DIR)/libdir),$(wildcard $(UC_DIR)/version))
endif
ifneq ($(UC_LOCAL),)
UC_VERSION := $(shell cat $(UC_DIR)/version)
UC_LIBDIR  := $(CURDIR)/$(UC_DIR)/root/$(shell cat $(UC_DIR)/libdir)
UC_CFLAGS  := -I$(CURDIR)/$(UC_DIR)/root/usr/include
UC_LIBS    := -L$(UC_LIBDIR) -Wl,-rpath,$(UC_LIBDIR) -lunicorn
else
UC_VERSION := system-$(shell pkg-config --modversion unicorn 2>/dev/null)
UC_CFLAGS   = $(shell pkg-config --cflags unicorn 2>/dev/null)
UC_LIBS     = $(shell pkg-config --libs unicorn 2>/dev/null)
endif
PKG_CFLAGS = $(UC_CFLAGS) $(shell pkg-config --cflags yaml-0.1 sdl2 2>/dev/null)
PKG_LIBS   = $(UC_LIBS) $(shell pkg-config --libs yaml-0.1 sdl2 2>/dev/null) -lm -lpthread
# objects and binaries are rebuilt when the Unicorn in use changes
UC_STAMP := $(BUILD)/gen/unicorn.$(UC_VERSION)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

ARM_CC     := arm-none-eabi-gcc
ARM_CFLAGS := -mcpu=cortex-m4 -mthumb -mfloat-abi=soft -Os -g -std=c11 \
	-ffreestanding -ffunction-sections -fdata-sections -Wall -Wextra -Werror \
	-Itests/baremetal
ARM_LDFLAGS := -nostdlib -nostartfiles -Wl,--gc-sections -Ttests/baremetal/link.ld -lgcc

# ---- host simulator -------------------------------------------------------
SIM_SRCS  := $(filter-out sim/main.c,$(wildcard sim/*.c))
SIM_OBJS  := $(SIM_SRCS:%.c=$(BUILD)/host/%.o)
MAIN_OBJ  := $(BUILD)/host/sim/main.o

# ---- unit tests (Check) ----------------------------------------------------
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/tests/unit/runner.o

# ---- bare-metal images -----------------------------------------------------
BM_LIB_SRCS := $(wildcard tests/baremetal/*.c) $(wildcard tests/baremetal/*.S)
CONF_SRCS   := $(wildcard tests/conformance/*.c)
CONF_ELFS   := $(CONF_SRCS:tests/conformance/%.c=$(BUILD)/conformance/%.elf)
BENCH_SRCS  := $(wildcard bench/workloads/*.c)
BENCH_ELFS  := $(BENCH_SRCS:bench/workloads/%.c=$(BUILD)/bench/%.elf)
EXAMPLE_SRCS := $(wildcard examples/*.c)
EXAMPLE_ELFS := $(EXAMPLE_SRCS:examples/%.c=$(BUILD)/examples/%.elf)

# `make run` boots the kernel with the apps in APPS (blink by default); without
# a kernel it would run the bare-metal SysTick demo.
KERNEL_ELF := $(BUILD)/hail/kernel.elf
RUN_KERNEL ?= $(if $(HAVE_KERNEL),$(KERNEL_ELF),$(BUILD)/examples/systick_clock.elf)

# ---- the kernel (target) -------------------------------------------------------
KERNEL_DIRS  := kernel kernel/arch/cortex-m chips/sam4l-emu capsules boards/hail
KERNEL_SRCS  := $(foreach d,$(KERNEL_DIRS),$(wildcard $(d)/*.c) $(wildcard $(d)/*.S))
KERNEL_OBJS  := $(patsubst %,$(BUILD)/target/%.o,$(KERNEL_SRCS))
# -flto as Tock's release profile (lto = true): calls across the capsule,
# kernel and chip layers are inlined; about 7 % less host time per idle toggle
KERNEL_CFLAGS := -mcpu=cortex-m4 -mthumb -mfloat-abi=soft -Os -flto -g -std=c11 -ffreestanding \
	-ffunction-sections -fdata-sections -fno-common -Wall -Wextra -Werror -Wshadow \
	-Ikernel/include -Ikernel/arch/cortex-m -Ichips/sam4l-emu -Icapsules -Iboards/hail -I$(BUILD)/gen
KERNEL_LDFLAGS := -nostdlib -nostartfiles -Wl,--gc-sections -Tboards/hail/layout.ld \
	-Wl,-Map,$(BUILD)/hail/kernel.map -lgcc
HAVE_KERNEL  := $(wildcard boards/hail/main.c)
KERNEL_ELF_TARGET := $(if $(HAVE_KERNEL),$(BUILD)/hail/kernel.elf)

# ---- host unit tests of the hardware-independent kernel parts -----------------------
KTEST_SRCS   := $(wildcard tests/kernel/test_*.c)
KCORE_SRCS   := $(wildcard kernel/*.c)
KTEST_OBJS   := $(KTEST_SRCS:%.c=$(BUILD)/host/%.o) $(KCORE_SRCS:%.c=$(BUILD)/khost/%.o) \
	$(BUILD)/host/tests/kernel/runner.o $(if $(wildcard tests/kernel/fake_arch.c),$(BUILD)/host/tests/kernel/fake_arch.o)
KTEST_TARGET := $(if $(KTEST_SRCS),$(BUILD)/kernel_tests)

.PHONY: all run test bench clean clean-deps help deps sim images unit conformance test-asan kernel userspace
.DEFAULT_GOAL := all

all: deps sim images kernel userspace

# libtock/libtock.mk and apps/apps.mk add their targets as prerequisites
userspace:

kernel: $(KERNEL_ELF_TARGET)

help:
	@echo "hailsim make targets:"
	@echo "  make            build everything (simulator, tools, test images)"
	@echo "  make run        build, then boot the kernel with the blink app on the virtual Hail"
	@echo "  make test       build, then run every test (unit, conformance vs QEMU, end to end)"
	@echo "  make bench      run the benchmark suite, write bench/results.md and .json"
	@echo "  make test-asan  the tests with AddressSanitizer + UBSan builds of the simulator"
	@echo "  make fuzz       libFuzzer on the parsers (FUZZ_SECONDS=60 each, FUZZ_TARGETS, FUZZ_JOBS)"
	@echo "  make deps       check for (and as root install) the Debian packages needed"
	@echo "  make clean      remove $(BUILD)/ (make clean-deps: the fetched Unicorn 2.1 in $(UC_DIR)/)"
	@echo "Variables: WERROR=1 (warnings as errors, default under CI=true), SANITIZE=address,undefined,"
	@echo "           UNICORN=system (link Debian 12's Unicorn 2.0.1, not the fetched 2.1)"

deps:
	@bash tools/deps.sh

sim: $(BUILD)/hailsim
images: $(CONF_ELFS) $(BENCH_ELFS) $(EXAMPLE_ELFS)

$(BUILD)/hailsim: $(MAIN_OBJ) $(SIM_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(PKG_LIBS)

$(UC_STAMP):
	@mkdir -p $(dir $@)
	@rm -f $(BUILD)/gen/unicorn.*
	@touch $@

$(BUILD)/host/%.o: %.c $(UC_STAMP)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

# the list of Check suites is generated from the test file names
$(BUILD)/gen/unit_suites.inc: $(UNIT_SRCS)
	@mkdir -p $(dir $@)
	@for f in $(UNIT_SRCS); do n=$$(basename $$f .c); echo "SUITE($${n#test_})"; done > $@

$(BUILD)/host/tests/unit/runner.o: $(BUILD)/gen/unit_suites.inc

$(BUILD)/unit_tests: $(UNIT_OBJS) $(SIM_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(CHECK_LIBS) $(PKG_LIBS)

$(BUILD)/conformance/%.elf: tests/conformance/%.c $(BM_LIB_SRCS) tests/baremetal/link.ld $(wildcard tests/baremetal/*.h)
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) -o $@ $< $(BM_LIB_SRCS) $(ARM_LDFLAGS)

$(BUILD)/bench/%.elf: bench/workloads/%.c $(BM_LIB_SRCS) tests/baremetal/link.ld $(wildcard tests/baremetal/*.h)
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) -O2 -o $@ $< $(BM_LIB_SRCS) $(ARM_LDFLAGS)

$(BUILD)/examples/%.elf: examples/%.c $(BM_LIB_SRCS) tests/baremetal/link.ld $(wildcard tests/baremetal/*.h)
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) -o $@ $< $(BM_LIB_SRCS) $(ARM_LDFLAGS)

# board constants for the kernel build, generated from the board YAML
$(BUILD)/boardgen: tools/boardgen.c $(BUILD)/host/sim/board.o $(BUILD)/host/sim/board_yaml.o $(BUILD)/host/sim/board_wiring.o
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(PKG_CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/gen/hail_board.h: boards/hail.yaml $(BUILD)/boardgen
	@mkdir -p $(dir $@)
	$(BUILD)/boardgen boards/hail.yaml $@

$(BUILD)/target/%.c.o: %.c $(BUILD)/gen/hail_board.h
	@mkdir -p $(dir $@)
	$(ARM_CC) $(KERNEL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/target/%.S.o: %.S $(BUILD)/gen/hail_board.h
	@mkdir -p $(dir $@)
	$(ARM_CC) $(KERNEL_CFLAGS) -c -o $@ $<

$(BUILD)/hail/kernel.elf: $(KERNEL_OBJS) boards/hail/layout.ld
	@mkdir -p $(dir $@)
	$(ARM_CC) $(KERNEL_CFLAGS) -o $@ $(KERNEL_OBJS) $(KERNEL_LDFLAGS)
	@arm-none-eabi-size $@

$(BUILD)/khost/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Ikernel/include -Itests/kernel -DKERNEL_HOST_TEST -MMD -MP -c -o $@ $<

$(BUILD)/gen/kernel_suites.inc: $(KTEST_SRCS)
	@mkdir -p $(dir $@)
	@for f in $(KTEST_SRCS); do n=$$(basename $$f .c); echo "SUITE($${n#test_})"; done > $@

$(BUILD)/host/tests/kernel/%.o: tests/kernel/%.c $(UC_STAMP)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) $(PKG_CFLAGS) -Ikernel/include -Itests/kernel -DKERNEL_HOST_TEST -MMD -MP -c -o $@ $<

$(BUILD)/host/tests/kernel/runner.o: $(BUILD)/gen/kernel_suites.inc

$(BUILD)/kernel_tests: $(KTEST_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(CHECK_LIBS)

unit: deps $(BUILD)/unit_tests
	@CK_FORK=yes $(BUILD)/unit_tests

test: all $(BUILD)/unit_tests $(KTEST_TARGET)
	@bash tests/run_all.sh $(BUILD)

test-asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(MAKE) BUILD=build-asan SANITIZE=address,undefined test

# the apps `make run` loads with the kernel: make run APPS="hello buttons"
APPS ?= blink
RUN_APP_TBFS = $(if $(HAVE_KERNEL),$(APPS:%=$(BUILD)/apps/%.tbf))

run: all
	$(BUILD)/hailsim --board boards/hail.yaml --kernel $(RUN_KERNEL) $(RUN_APP_TBFS) $(RUN_ARGS)

BENCH_FUZZ_CALLS ?= 1000000

# with the fetched Unicorn 2.1 in use, the same simulator is also built
# against Debian 12's 2.0.1 ($(BUILD)/uc-system) for a table comparing the two
bench: all
ifneq ($(UC_LOCAL),)
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/uc-system UNICORN=system $(BUILD)/uc-system/hailsim
	@HAILSIM_UC_SYSTEM=$(BUILD)/uc-system/hailsim bash bench/run.sh $(BUILD)
else
	@bash bench/run.sh $(BUILD)
endif
	@echo "== kernel fuzzing: $(BENCH_FUZZ_CALLS) random system calls"
	@FUZZ_CALLS=$(BENCH_FUZZ_CALLS) FUZZ_SEEDS=0 bash tests/fuzz_kernel/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-asan

# forget the fetched Unicorn 2.1 (the next make fetches it again)
clean-deps:
	rm -rf $(UC_DIR)

# userspace: libtock, the apps and elf2tbf bring their own rules
-include libtock/libtock.mk
-include apps/apps.mk
# libFuzzer targets: make fuzz (tests/fuzz/fuzz.mk)
-include tests/fuzz/fuzz.mk

-include $(shell find $(BUILD)/host $(BUILD)/target $(BUILD)/khost -name '*.d' 2>/dev/null)
