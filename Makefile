# hailsim — top-level build.  `make help` lists the targets.
#
# Two worlds: the host simulator and tools (system gcc, C11) and the target
# firmware and test images (arm-none-eabi-gcc, Cortex-M4 Thumb-2).

BUILD    ?= build
CI       ?=
HOST_CC  ?= gcc
PKGS     := unicorn yaml-0.1 check

# -Werror in CI (and whenever WERROR=1); warnings always on.
ifneq ($(CI),)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WFLAGS_ERR := -Werror
endif

SANITIZE ?=
ifneq ($(SANITIZE),)
SAN_FLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
endif

HOST_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g \
	-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	$(WFLAGS_ERR) $(SAN_FLAGS) -Isim -I$(BUILD)/gen
PKG_CFLAGS = $(shell pkg-config --cflags unicorn yaml-0.1 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs unicorn yaml-0.1 2>/dev/null) -lm -lpthread
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

# `make run` boots the kernel with the blink app once they exist (issues #4/#5);
# until then it runs the bare-metal SysTick demo.
KERNEL_ELF := $(BUILD)/hail/kernel.elf
RUN_KERNEL ?= $(if $(wildcard $(KERNEL_ELF)),$(KERNEL_ELF),$(BUILD)/examples/systick_clock.elf)

.PHONY: all run test bench clean help deps sim images unit conformance test-asan
.DEFAULT_GOAL := all

all: deps sim images

help:
	@echo "hailsim make targets:"
	@echo "  make            build everything (simulator, tools, test images)"
	@echo "  make run        build, then boot the kernel with the blink app on the virtual Hail"
	@echo "  make test       build, then run every test (unit, conformance vs QEMU, end to end)"
	@echo "  make bench      run the benchmark suite, write bench/results.md and .json"
	@echo "  make test-asan  the tests with AddressSanitizer + UBSan builds of the simulator"
	@echo "  make deps       check for (and as root install) the Debian packages needed"
	@echo "  make clean      remove $(BUILD)/"
	@echo "Variables: WERROR=1 (warnings as errors, default under CI=true), SANITIZE=address,undefined"

deps:
	@bash tools/deps.sh

sim: $(BUILD)/hailsim
images: $(CONF_ELFS) $(BENCH_ELFS) $(EXAMPLE_ELFS)

$(BUILD)/hailsim: $(MAIN_OBJ) $(SIM_OBJS)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/host/%.o: %.c
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

unit: deps $(BUILD)/unit_tests
	@CK_FORK=yes $(BUILD)/unit_tests

test: all $(BUILD)/unit_tests
	@bash tests/run_all.sh $(BUILD)

test-asan:
	$(MAKE) BUILD=build-asan SANITIZE=address,undefined test

run: all
	$(BUILD)/hailsim --board boards/hail.yaml --kernel $(RUN_KERNEL) $(RUN_ARGS)

bench: all
	@bash bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-asan

-include $(shell find $(BUILD)/host -name '*.d' 2>/dev/null)
