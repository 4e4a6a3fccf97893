# apps/apps.mk — every folder apps/NAME/ with a main.c is an app:
#   build/apps/NAME.elf (linked with libtock/layout.ld) and
#   build/apps/NAME.tbf (elf2tbf, package name NAME).
# Included by the top-level Makefile after libtock/libtock.mk.

APP_NAMES := $(sort $(patsubst apps/%/main.c,%,$(wildcard apps/*/main.c)))
APP_ELFS  := $(APP_NAMES:%=$(BUILD)/apps/%.elf)
APP_TBFS  := $(APP_NAMES:%=$(BUILD)/apps/%.tbf)

define APP_template
$(BUILD)/apps/$(1).elf: $(patsubst %.c,$(BUILD)/user/%.o,$(wildcard apps/$(1)/*.c)) $(LIBTOCK_CRT0) $(LIBTOCK_A) libtock/layout.ld
	@mkdir -p $$(dir $$@)
	$(ARM_CC) $(USER_CFLAGS) -o $$@ $(LIBTOCK_CRT0) $(patsubst %.c,$(BUILD)/user/%.o,$(wildcard apps/$(1)/*.c)) \
		-Wl,--start-group $(LIBTOCK_A) -lgcc -Wl,--end-group $(USER_LDFLAGS) -Wl,-Map,$(BUILD)/apps/$(1).map
endef
$(foreach a,$(APP_NAMES),$(eval $(call APP_template,$(a))))

$(BUILD)/apps/%.tbf: $(BUILD)/apps/%.elf $(ELF2TBF)
	$(ELF2TBF) -n $* -o $@ $<

apps: $(APP_TBFS)
userspace: $(ELF2TBF) $(APP_TBFS)
.PHONY: apps
