# libtock/libtock.mk — the userspace library (libtock + its small libc) and the
# elf2tbf tool.  Included by the top-level Makefile.  See docs/userspace.md.

# ---- elf2tbf (host) --------------------------------------------------------
# The conversion logic lives in tools/tbf_write.c (no main) so the unit tests
# can link it; tools/elf2tbf.c only holds the command line.
ELF2TBF := $(BUILD)/elf2tbf

$(ELF2TBF): $(BUILD)/host/tools/elf2tbf.o $(BUILD)/host/tools/tbf_write.o $(BUILD)/host/sim/elf_load.o
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $^

$(BUILD)/host/tools/elf2tbf.o $(BUILD)/host/tools/tbf_write.o: HOST_CFLAGS += -Itools

# tests/unit/test_elf2tbf.c needs the converter (the unit-test rule links $^)
$(BUILD)/unit_tests: $(BUILD)/host/tools/tbf_write.o

# ---- target userspace --------------------------------------------------------
# Position-independent code like libtock-c: r9 holds the GOT base, every global
# (code and data) is reached through the GOT, and the crt0 fixes the GOT,
# .data and the relocations up at start.  Link addresses are sentinels
# (flash 0x80000000, RAM 0).  Our own libc (libtock/libc): Debian's newlib is
# not built PIC.
USER_STACK_SIZE ?= 2048
USER_GCC_INC := $(shell $(ARM_CC) -print-file-name=include 2>/dev/null)
USER_CFLAGS := -mcpu=cortex-m4 -mthumb -mfloat-abi=soft -Os -g -std=c11 \
	-fPIC -msingle-pic-base -mpic-register=r9 -mno-pic-data-is-text-relative \
	-ffreestanding -nostdinc -isystem $(USER_GCC_INC) -fno-tree-loop-distribute-patterns \
	-ffunction-sections -fdata-sections -fno-common \
	-Wall -Wextra -Werror -Wshadow -Ilibtock -Ilibtock/libc
USER_LDFLAGS := -nostdlib -nostartfiles -Wl,--emit-relocs -Wl,--gc-sections \
	-Tlibtock/layout.ld -Wl,--defsym=STACK_SIZE=$(USER_STACK_SIZE)

LIBTOCK_SRCS := $(filter-out libtock/crt0.c,$(wildcard libtock/*.c)) $(wildcard libtock/libc/*.c)
LIBTOCK_OBJS := $(LIBTOCK_SRCS:%.c=$(BUILD)/user/%.o)
LIBTOCK_CRT0 := $(BUILD)/user/libtock/crt0.o
LIBTOCK_A    := $(BUILD)/user/libtock.a

$(BUILD)/user/%.o: %.c
	@mkdir -p $(dir $@)
	$(ARM_CC) $(USER_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBTOCK_A): $(LIBTOCK_OBJS)
	@rm -f $@
	arm-none-eabi-ar rcs $@ $^

libtock: $(LIBTOCK_A) $(LIBTOCK_CRT0)
userspace: $(ELF2TBF) $(LIBTOCK_A) $(LIBTOCK_CRT0)
.PHONY: libtock

-include $(shell find $(BUILD)/user -name '*.d' 2>/dev/null)
