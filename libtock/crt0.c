/*
 * crt0.c — process start for libtock apps (Tock 2.x, Cortex-M, PIC).
 *
 * The kernel starts a process at the TBF entry point with
 *   r0 = app_start  (first byte of the app binary = the crt0 header below),
 *   r1 = mem_start  (lowest address of the process RAM block),
 *   r2 = memory_len, r3 = app_break (= mem_start + 32),
 * SP = mem_start (the kernel's fabricated 32-byte frame was just popped, so SP
 * is really mem_start + 32, and only those 32 bytes are accessible).
 *
 * Everything is linked at sentinel addresses (flash 0x80000000, RAM 0; see
 * layout.ld) and compiled -fPIC -msingle-pic-base -mpic-register=r9
 * -mno-pic-data-is-text-relative: all globals, even const data and function
 * addresses, are reached through the GOT whose base is r9.  So the crt0
 *   1. grows the break to cover stack + GOT + .data + .bss (memop 0),
 *   2. moves SP to the top of the stack region and gives the kernel the
 *      stack/heap debug hints (memop 10/11),
 *   3. sets r9 = mem_start + got_start,
 *   4. in C (_c_start_pic, which must not touch any global before step a):
 *      a. copies the GOT from flash, relocating every entry: bit 31 set →
 *         flash address → (e ^ 0x80000000) + app_start; else RAM address →
 *         e + mem_start,
 *      b. copies .data, zeroes .bss,
 *      c. applies the relocation block elf2tbf appended (u32 byte count, then
 *         Elf32_Rel {offset, info} pairs; offset is a RAM address → the word
 *         at mem_start + offset gets the same bit-31 rule),
 *      d. exit(main()).
 */
#include <stdint.h>

#include "tock.h"

struct hdr {
    uint32_t got_sym_start;     /* GOT initial image, offset from app_start */
    uint32_t got_start;         /* GOT location, offset from mem_start */
    uint32_t got_size;
    uint32_t data_sym_start;    /* .data initial image, offset from app_start */
    uint32_t data_start;        /* .data location, offset from mem_start */
    uint32_t data_size;
    uint32_t bss_start;         /* offset from mem_start */
    uint32_t bss_size;
    uint32_t reldata_start;     /* relocation block, offset from app_start */
    uint32_t stack_size;
};

_Static_assert(sizeof(struct hdr) == 40, "the crt0 header is 40 bytes");

int main(void);
void _start(void *app_start, void *mem_start, void *memory_len, void *app_heap_break);
void _c_start_pic(uint32_t app_start, uint32_t mem_start) __attribute__((noreturn, used));

#define R_ARM_ABS32 2u

static inline uint32_t fixup(uint32_t v, uint32_t app_start, uint32_t mem_start)
{
    return (v & 0x80000000u) ? (v ^ 0x80000000u) + app_start : v + mem_start;
}

/* Runs with r9 set but the GOT still empty: no global may be touched and no
 * library function called until the GOT is in place. */
void _c_start_pic(uint32_t app_start, uint32_t mem_start)
{
    const struct hdr *h = (const struct hdr *)app_start;

    const uint32_t *got_sym = (const uint32_t *)(app_start + h->got_sym_start);
    uint32_t *got = (uint32_t *)(mem_start + h->got_start);
    for (uint32_t i = 0; i < h->got_size / 4; i++)
        got[i] = fixup(got_sym[i], app_start, mem_start);

    const uint8_t *data_sym = (const uint8_t *)(app_start + h->data_sym_start);
    uint8_t *data = (uint8_t *)(mem_start + h->data_start);
    for (uint32_t i = 0; i < h->data_size; i++)
        data[i] = data_sym[i];

    uint8_t *bss = (uint8_t *)(mem_start + h->bss_start);
    for (uint32_t i = 0; i < h->bss_size; i++)
        bss[i] = 0;

    const uint32_t *rel = (const uint32_t *)(app_start + h->reldata_start);
    uint32_t nwords = rel[0] / 4;
    for (uint32_t i = 0; i + 1 < nwords; i += 2) {
        uint32_t offset = rel[1 + i], info = rel[2 + i];
        if ((info & 0xffu) != R_ARM_ABS32)
            continue;           /* only absolute words need moving */
        uint32_t *w = (uint32_t *)(mem_start + offset);
        *w = fixup(*w, app_start, mem_start);
    }

    tock_exit((uint32_t)main());
}

__attribute__((naked, section(".start"), used))
void _start(void *app_start, void *mem_start, void *memory_len, void *app_heap_break)
{
    (void)app_start; (void)mem_start; (void)memory_len; (void)app_heap_break;
    __asm__ volatile(
        "mov  r4, r0            \n"     /* r4 = app_start (crt0 header) */
        "mov  r5, r1            \n"     /* r5 = mem_start */
        "ldr  r6, [r4, #36]     \n"     /* stack_size */
        "add  r6, r6, r5        \n"
        "add  r6, r6, #7        \n"
        "bic  r6, r6, #7        \n"     /* r6 = stack top, 8-aligned */
        "ldr  r7, [r4, #24]     \n"     /* bss_start */
        "ldr  r8, [r4, #28]     \n"     /* bss_size */
        "add  r7, r7, r8        \n"
        "add  r7, r7, r5        \n"     /* r7 = new break = end of .bss */
        "cmp  r7, r3            \n"     /* already inside the break? then the */
        "bhi  1f                \n"     /* stack is usable for the brk svc */
        "mov  sp, r6            \n"
        "1:                     \n"
        "movs r0, #0            \n"     /* memop 0: brk(new break) */
        "mov  r1, r7            \n"
        "svc  5                 \n"
        "cmp  r0, #128          \n"     /* Success? */
        "beq  2f                \n"
        "movs r0, #0            \n"     /* no memory: exit-terminate(NOMEM) */
        "movs r1, #9            \n"
        "svc  6                 \n"
        "2:                     \n"
        "mov  sp, r6            \n"
        "movs r0, #10           \n"     /* memop 10: stack top hint */
        "mov  r1, r6            \n"
        "svc  5                 \n"
        "movs r0, #11           \n"     /* memop 11: heap start hint */
        "mov  r1, r7            \n"
        "svc  5                 \n"
        "ldr  r0, [r4, #4]      \n"     /* got_start */
        "add  r9, r0, r5        \n"     /* r9 = GOT base */
        "mov  r0, r4            \n"
        "mov  r1, r5            \n"
        "bl   _c_start_pic      \n");
}
