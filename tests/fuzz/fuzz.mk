# tests/fuzz/fuzz.mk — libFuzzer targets of the parsers (issue #8, docs/fuzzing.md).
# Included by the top-level Makefile (HOST_CFLAGS, PKG_CFLAGS, PKG_LIBS, BUILD,
# SIM_SRCS come from there).
#
#   make fuzz                 every target for FUZZ_SECONDS (default 60) each;
#                             fails if any crashes (the input is added to
#                             tests/fuzz/regress/TARGET/)
#   make fuzz FUZZ_TARGETS="tbf gdb" FUZZ_SECONDS=300
#   make fuzz-build           only build $(BUILD)/fuzz/fuzz_TARGET (clang, libFuzzer + ASan + UBSan)
#   make fuzz-regress         replay tests/fuzz/regress/ and the seed corpora without libFuzzer
#                             (gcc; tests/fuzz/run_regress.sh, "fuzz-regress: N passed, M failed")
#
# Targets: tbf (kernel/tbf.c), tbf_inspect (tools/tbf_write.c decoder),
# elf (sim/elf_load.c + tbf_from_elf), board (sim/board*.c), gdb (sim/gdb.c
# packet parser via gdb_fuzz_feed), scenario (sim/scenario.c, when present).

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 1
FUZZ_TARGETS ?= tbf tbf_inspect elf board gdb $(if $(wildcard sim/scenario.c),scenario)
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# the project's warnings, without -Werror (clang warns about other things than gcc)
# and without the gcc sanitizer flags of SANITIZE=...; -O1 as libFuzzer suggests
FUZZ_CFLAGS  := $(filter-out -Werror -O2 -fsanitize=%,$(HOST_CFLAGS)) -O1 -gline-tables-only \
	$(FUZZ_SAN) -fsanitize=fuzzer-no-link -Itools
FUZZ_LDFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer

# the simulator's objects, instrumented (sim/main.c excluded like everywhere)
FUZZ_SIM_OBJS := $(SIM_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_BOARD_OBJS := $(patsubst %,$(FUZZ_DIR)/obj/sim/%.o,board board_yaml board_wiring)

FUZZ_OBJS_tbf         := $(FUZZ_DIR)/kobj/kernel/tbf.o
FUZZ_OBJS_tbf_inspect := $(FUZZ_DIR)/obj/tools/tbf_write.o $(FUZZ_DIR)/obj/sim/elf_load.o
FUZZ_OBJS_elf         := $(FUZZ_DIR)/obj/tools/tbf_write.o $(FUZZ_DIR)/obj/sim/elf_load.o
FUZZ_OBJS_board       := $(FUZZ_BOARD_OBJS)
FUZZ_OBJS_gdb         := $(FUZZ_SIM_OBJS)
FUZZ_OBJS_scenario    := $(FUZZ_SIM_OBJS)

FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-deps fuzz-regress fuzz-regress-build
fuzz-build: fuzz-deps $(FUZZ_BINS)

# clang and libFuzzer are needed only here: `tools/deps.sh fuzz`
fuzz-deps:
	@bash tools/deps.sh fuzz

fuzz: fuzz-deps $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) bash tests/fuzz/run_fuzz.sh $(BUILD) $(FUZZ_TARGETS)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/kobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ikernel/include -DKERNEL_HOST_TEST -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/obj/tests/fuzz/fuzz_tbf.o: FUZZ_CFLAGS += -Ikernel/include -DKERNEL_HOST_TEST

# the target-specific variable below only reaches the link line
define FUZZ_template
$(FUZZ_DIR)/fuzz_$(1): $(FUZZ_DIR)/obj/tests/fuzz/fuzz_$(1).o $(FUZZ_OBJS_$(1))
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $$@ $$^ $(PKG_LIBS)
endef
$(foreach t,tbf tbf_inspect elf board gdb scenario,$(eval $(call FUZZ_template,$(t))))

# ---- the regression replay (gcc, no libFuzzer): $(BUILD)/fuzz-regress/TARGET ----------
FREG_DIR := $(BUILD)/fuzz-regress
FREG_MAIN := $(BUILD)/host/tests/fuzz/regress_main.o
FREG_OBJS_tbf         := $(BUILD)/khost/kernel/tbf.o
FREG_OBJS_tbf_inspect := $(BUILD)/host/tools/tbf_write.o $(BUILD)/host/sim/elf_load.o
FREG_OBJS_elf         := $(BUILD)/host/tools/tbf_write.o $(BUILD)/host/sim/elf_load.o
FREG_OBJS_board       := $(patsubst %,$(BUILD)/host/sim/%.o,board board_yaml board_wiring)
FREG_OBJS_gdb         := $(SIM_OBJS)
FREG_OBJS_scenario    := $(SIM_OBJS)
FREG_BINS := $(FUZZ_TARGETS:%=$(FREG_DIR)/%)

$(BUILD)/host/tests/fuzz/fuzz_tbf.o: HOST_CFLAGS += -Ikernel/include -DKERNEL_HOST_TEST
$(BUILD)/host/tests/fuzz/fuzz_elf.o $(BUILD)/host/tests/fuzz/fuzz_tbf_inspect.o: HOST_CFLAGS += -Itools

define FREG_template
$(FREG_DIR)/$(1): $(FREG_MAIN) $(BUILD)/host/tests/fuzz/fuzz_$(1).o $(FREG_OBJS_$(1))
	@mkdir -p $$(dir $$@)
	$(HOST_CC) $(HOST_CFLAGS) -o $$@ $$^ $(PKG_LIBS)
endef
$(foreach t,tbf tbf_inspect elf board gdb scenario,$(eval $(call FREG_template,$(t))))

fuzz-regress-build: $(FREG_BINS)

fuzz-regress: $(FREG_BINS)
	@bash tests/fuzz/run_regress.sh $(BUILD)

-include $(shell find $(FUZZ_DIR) -name '*.d' 2>/dev/null)
