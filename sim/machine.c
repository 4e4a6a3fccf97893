/*
 * machine.c — creates a machine from a board description: host buffers for
 * every memory region (flash starts erased, 0xFF; RAM zero), the SCS, the
 * peripheral MMIO windows, the event queue; loads ELF and app images into
 * the memory map; performs the architectural reset.
 */
#include <stdlib.h>
#include <string.h>

#include "board_io.h"
#include "cpu_state.h"
#include "elf_load.h"
#include "exc.h"
#include "mpu_enforce.h"
#include "periph.h"
#include "scs.h"

/* Maps one memory.  Flash is read/execute, except the app-flash area: a
 * process's store to its own flash must fault through the MPU, which
 * reports the exact PC, and Unicorn's own read-only check would come first
 * and report only the start of the block.  (Privileged code writing the app
 * area therefore changes it: the real part would fill its page buffer; no
 * correct kernel does either.) */
static uc_err map_memory(struct machine *m, struct mem_block *blk)
{
    const struct board_area *app = &m->board->app_flash;
    uint32_t ro = UC_PROT_READ | UC_PROT_EXEC;
    if (blk->desc->kind != BOARD_MEM_FLASH)
        return uc_mem_map_ptr(m->uc, blk->base, blk->size, UC_PROT_ALL, blk->host);
    uint64_t lo = blk->base, hi = (uint64_t)blk->base + blk->size;
    uint64_t alo = app->base, ahi = (uint64_t)app->base + app->size;
    if (app->size == 0 || alo < lo || ahi > hi)
        return uc_mem_map_ptr(m->uc, blk->base, blk->size, ro, blk->host);
    uc_err e = UC_ERR_OK;
    if (alo > lo)
        e = uc_mem_map_ptr(m->uc, lo, alo - lo, ro, blk->host);
    if (e == UC_ERR_OK)
        e = uc_mem_map_ptr(m->uc, alo, ahi - alo, UC_PROT_ALL, blk->host + (alo - lo));
    if (e == UC_ERR_OK && ahi < hi)
        e = uc_mem_map_ptr(m->uc, ahi, hi - ahi, ro, blk->host + (ahi - lo));
    return e;
}

int machine_create(struct machine *m, const struct board *b, const struct qmpu_layout *mpu_layout,
                   char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->board = b;
    m->clock_hz = b->cpu.clock_hz;
    m->stop_at = EVQ_NEVER;
    m->out = stdout;
    m->console = stdout;
    m->err = stderr;
    evq_init(&m->evq);
    evq_watch(&m->evq, &m->boundary_at);
    if (cpu_open(m, err, errlen) != 0)
        return -1;
    for (int i = 0; i < b->nmemories; i++) {
        const struct board_memory *d = &b->memories[i];
        struct mem_block *blk = &m->mem[m->nmem];
        blk->desc = d;
        blk->base = d->base;
        blk->size = d->size;
        if (posix_memalign((void **)&blk->host, 4096, d->size) != 0) {
            snprintf(err, errlen, "%s: out of memory for %s (%u bytes)", b->path, d->name, d->size);
            return -1;
        }
        memset(blk->host, d->kind == BOARD_MEM_FLASH ? 0xFF : 0x00, d->size);
        m->nmem++;
        uc_err e = map_memory(m, blk);
        if (e != UC_ERR_OK) {
            snprintf(err, errlen, "%s: memories: cannot map %s at 0x%08x (+0x%x): %s (base and size must be multiples of %u)",
                     b->path, d->name, d->base, d->size, uc_strerror(e), m->page_size);
            return -1;
        }
    }
    if (board_io_init(m, err, errlen) != 0 || scs_attach(m, err, errlen) != 0 ||
        periph_attach_all(m, err, errlen) != 0)
        return -1;
    if (mpu_layout && mpu_layout->valid) {
        uc_err e = uc_mem_map(m->uc, QMPU_FLUSH_PAGE, QMPU_FLUSH_SIZE, UC_PROT_READ | UC_PROT_WRITE);
        if (e != UC_ERR_OK) {
            snprintf(err, errlen, "cannot map the TLB flush page: %s", uc_strerror(e));
            return -1;
        }
        cpu_set_reg(m, UC_ARM_REG_XPSR, XPSR_T);
        if (qmpu_attach(&m->qmpu, m->uc, mpu_layout, b->cpu.mpu_regions, err, errlen) != 0)
            return -1;
        m->qmpu_active = true;
    }
    return mpu_enforce_init(m, err, errlen);
}

void machine_destroy(struct machine *m)
{
    evq_init(&m->evq);                  /* no model may touch another's freed timer */
    periph_destroy_all(m);
    board_io_free(m);
    qmpu_detach(&m->qmpu);
    mpu_enforce_free(m);
    if (m->uc)
        uc_close(m->uc);
    for (int i = 0; i < m->nmem; i++)
        free(m->mem[i].host);
    m->uc = NULL;
    m->nmem = 0;
}

uint8_t *machine_host_ptr(struct machine *m, uint32_t addr, uint32_t len)
{
    for (int i = 0; i < m->nmem; i++) {
        struct mem_block *b = &m->mem[i];
        uint32_t off = addr - b->base;
        if (addr >= b->base && off < b->size && len <= b->size - off)
            return b->host + off;
    }
    return NULL;
}

int machine_read32(struct machine *m, uint32_t addr, uint32_t *val)
{
    uint8_t *p = machine_host_ptr(m, addr, 4);
    if (!p)
        return -1;
    *val = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return 0;
}

int machine_write32(struct machine *m, uint32_t addr, uint32_t val)
{
    uint8_t *p = machine_host_ptr(m, addr, 4);
    if (!p)
        return -1;
    p[0] = (uint8_t)val; p[1] = (uint8_t)(val >> 8); p[2] = (uint8_t)(val >> 16); p[3] = (uint8_t)(val >> 24);
    return 0;
}

uint64_t machine_time_ns(const struct machine *m)
{
    return (uint64_t)(((unsigned __int128)m->cycles * 1000000000u) / m->clock_hz);
}

uint64_t machine_mmio_now(struct machine *m)
{
    if (m->mmio_skew < m->block_len)
        m->mmio_skew++;
    return m->block_start + m->mmio_skew;
}

uint64_t machine_ns_to_cycles(const struct machine *m, uint64_t ns)
{
    return (uint64_t)(((unsigned __int128)ns * m->clock_hz + 999999999u) / 1000000000u);
}

static void describe_memories(const struct machine *m, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < m->nmem && o < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s%s 0x%08x-0x%08x", i ? ", " : "",
                              m->mem[i].desc->name, m->mem[i].base, m->mem[i].base + m->mem[i].size);
}

/* Copies a segment's file bytes to its load address.  The zero-filled tail
 * (.bss) belongs at the run address: it is cleared there when that is RAM of
 * the board, and never written into flash after an initialised-data image. */
static int place_segment(struct machine *m, const char *path, int i, const struct elf_segment *s,
                         char *err, size_t errlen)
{
    uint8_t *dst = machine_host_ptr(m, s->paddr, s->filesz ? s->filesz : 1);
    if (s->filesz && !dst) {
        char mems[256];
        describe_memories(m, mems, sizeof mems);
        snprintf(err, errlen, "%s: segment %d (0x%08x-0x%08x) is outside the board's memory (%s)",
                 path, i, s->paddr, s->paddr + s->filesz, mems);
        return -1;
    }
    if (s->filesz)
        memcpy(dst, s->data, s->filesz);
    uint32_t tail = s->memsz - s->filesz, tail_at = s->vaddr + s->filesz;
    uint8_t *bss = tail ? machine_host_ptr(m, tail_at, tail) : NULL;
    if (tail && !bss) {
        char mems[256];
        describe_memories(m, mems, sizeof mems);
        snprintf(err, errlen, "%s: segment %d: its zero-filled part 0x%08x-0x%08x (run address) is outside "
                 "the board's memory (%s)", path, i, tail_at, tail_at + tail, mems);
        return -1;
    }
    if (bss && board_find_memory(m->board, tail_at, tail)->kind == BOARD_MEM_RAM)
        memset(bss, 0, tail);
    return 0;
}

int machine_load_elf(struct machine *m, const char *path, char *err, size_t errlen)
{
    struct elf_image img;
    if (elf_load_file(path, &img, err, errlen) != 0)
        return -1;
    for (int i = 0; i < img.nsegs; i++) {
        if (place_segment(m, path, i, &img.segs[i], err, errlen) != 0) {
            elf_free(&img);
            return -1;
        }
    }
    /* the board's VTOR must hold a vector table; otherwise use the architectural 0 */
    uint32_t vtor = m->board->cpu.vtor, lo = 0, hi = 0;
    bool covered = false, covered0 = false;
    for (int i = 0; i < img.nsegs; i++) {
        lo = img.segs[i].paddr;
        hi = lo + img.segs[i].filesz;
        covered |= vtor >= lo && vtor + 8 <= hi;
        covered0 |= 8 <= hi && lo == 0;
    }
    m->elf_vtor = covered ? vtor : covered0 ? 0 : vtor;
    elf_free(&img);
    return 0;
}

/* A TBF padding object (header only, not enabled) filling [at, at + size),
 * as tockloader writes between apps: the kernel's walk skips it. */
static void write_padding_tbf(uint8_t *p, uint32_t size)
{
    uint32_t words[4] = { 2u | 16u << 16, size, 0, 0 };
    words[3] = words[0] ^ words[1] ^ words[2];
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 4; b++)
            p[4 * i + b] = (uint8_t)(words[i] >> (8 * b));
}

/* Moves *cursor up to a multiple of the image size (a power of two): the MPU
 * can only cover an app's flash if it is aligned to its size, so like
 * tockloader the gap becomes a padding object. */
static void align_app(struct machine *m, uint32_t *cursor, uint32_t size)
{
    if (size == 0 || (size & (size - 1)) != 0 || (*cursor & (size - 1)) == 0)
        return;
    uint32_t aligned = (*cursor + size - 1) & ~(size - 1);
    uint8_t *p = machine_host_ptr(m, *cursor, aligned - *cursor);
    if (p && aligned - *cursor >= 16)
        write_padding_tbf(p, aligned - *cursor);
    *cursor = aligned;
}

int machine_load_app(struct machine *m, const char *path, uint32_t *cursor, char *err, size_t errlen)
{
    const struct board_area *area = &m->board->app_flash;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open app image", path);
        return -1;
    }
    uint8_t head[16];
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (size < 16 || fread(head, 1, 16, f) != 16) {
        fclose(f);
        snprintf(err, errlen, "%s: %ld bytes is too short for a TBF header (16 bytes at least)", path, size);
        return -1;
    }
    uint32_t version = head[0] | head[1] << 8, total = head[4] | head[5] << 8 | head[6] << 16 | (uint32_t)head[7] << 24;
    if (version != 2 || total != (uint32_t)size) {
        fclose(f);
        snprintf(err, errlen, "%s: not a TBF image: version %u (expected 2), total_size %u (expected the file size %ld)",
                 path, version, total, size);
        return -1;
    }
    uint32_t end = area->base + area->size;
    uint32_t start = *cursor;
    if ((uint64_t)((*cursor + (uint32_t)size - 1) & ~((uint32_t)size - 1)) + (uint64_t)size <= end)
        align_app(m, cursor, (uint32_t)size);
    if ((uint64_t)*cursor + (uint64_t)size > end) {
        *cursor = start;
        fclose(f);
        snprintf(err, errlen, "%s: %ld bytes do not fit in the app flash area: 0x%x bytes left at 0x%08x (area 0x%08x-0x%08x)",
                 path, size, end - *cursor, *cursor, area->base, end);
        return -1;
    }
    uint8_t *dst = machine_host_ptr(m, *cursor, (uint32_t)size);
    bool ok = dst && fseek(f, 0, SEEK_SET) == 0 && fread(dst, 1, (size_t)size, f) == (size_t)size;
    fclose(f);
    if (!ok) {
        snprintf(err, errlen, "%s: reading the image failed", path);
        return -1;
    }
    *cursor += (uint32_t)size;
    return 0;
}

int machine_reset(struct machine *m, char *err, size_t errlen)
{
    exc_reset(m);
    scs_reset(m);
    periph_reset_all(m);
    board_io_reset(m);
    m->scb.vtor = m->elf_vtor;
    uint32_t sp, pc;
    if (machine_read32(m, m->scb.vtor, &sp) != 0 || machine_read32(m, m->scb.vtor + 4, &pc) != 0) {
        snprintf(err, errlen, "no vector table at VTOR 0x%08x (not in memory)", m->scb.vtor);
        return -1;
    }
    if (!(pc & 1u)) {
        snprintf(err, errlen, "reset vector at 0x%08x is 0x%08x: bit 0 clear (not Thumb code); expected an odd address",
                 m->scb.vtor + 4, pc);
        return -1;
    }
    for (int r = UC_ARM_REG_R0; r <= UC_ARM_REG_R12; r++)
        cpu_set_reg(m, r, 0);
    cpu_set_reg(m, UC_ARM_REG_PRIMASK, 0);
    cpu_set_reg(m, UC_ARM_REG_BASEPRI, 0);
    cpu_set_reg(m, UC_ARM_REG_FAULTMASK, 0);
    m->privileged = true;
    m->reset_sp = sp & ~3u;
    cpu_set_mode(m, XPSR_T, 0, m->reset_sp, 0);
    cpu_set_reg(m, UC_ARM_REG_LR, 0xFFFFFFFFu);
    cpu_set_pc(m, pc);
    m->reset_requested = false;
    m->sleeping = false;
    m->stop_deferred = false;
    cpu_kick(m);
    return 0;
}
