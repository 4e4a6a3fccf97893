/*
 * coremark_like.c — benchmark workload: a mixed, "typical firmware" load in
 * the spirit of CoreMark (but its own code).  Each iteration:
 *   1. linked list (in RAM): search for keys, merge-sort the list by key,
 *      then by a derived value, reverse it, fold the order into a CRC;
 *   2. a 12x12 16-bit matrix multiply into 32-bit results, with the inputs
 *      perturbed by the iteration number;
 *   3. a state machine that scans a comma-separated string of numbers and
 *      classifies each token (integer, hex, decimal, exponent, invalid), on
 *      a string with one character perturbed per iteration;
 *   4. a bitwise CRC-16/CCITT of all the results, chained across iterations.
 * About 300 M instructions; loads, stores, branches, multiplies, pointers.
 *
 * Output: per-part counters and one "CHECKSUM coremark_like xxxxxxxx" line;
 * exits 0.
 */
#include <stdint.h>

#include "semihost.h"

#define ITERATIONS 3000u
#define NODES 160u
#define MAT 12u

/* ---- CRC-16/CCITT (poly 0x1021), bitwise --------------------------------- */

static uint16_t crc16_byte(uint16_t crc, uint8_t b)
{
    crc ^= (uint16_t)(b << 8);
    for (int k = 0; k < 8; k++)
        crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
    return crc;
}

static uint16_t crc16_u32(uint16_t crc, uint32_t v)
{
    crc = crc16_byte(crc, (uint8_t)v);
    crc = crc16_byte(crc, (uint8_t)(v >> 8));
    crc = crc16_byte(crc, (uint8_t)(v >> 16));
    return crc16_byte(crc, (uint8_t)(v >> 24));
}

/* ---- a deterministic PRNG ------------------------------------------------ */

static uint32_t rng_state = 0x6A09E667u;

static uint32_t rng(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

/* ---- 1. linked list ------------------------------------------------------ */

struct node {
    struct node *next;
    int16_t key;
    uint16_t val;
    uint32_t data;
};

static struct node pool[NODES];

static struct node *list_build(void)
{
    struct node *head = 0;
    for (uint32_t i = 0; i < NODES; i++) {
        struct node *n = &pool[i];
        uint32_t r = rng();
        n->key = (int16_t)(r & 0x3FFF) - 0x2000;
        n->val = (uint16_t)(r >> 16);
        n->data = i;
        n->next = head;
        head = n;
    }
    return head;
}

static struct node *list_find(struct node *p, int16_t key)
{
    while (p != 0 && p->key != key)
        p = p->next;
    return p;
}

static struct node *list_reverse(struct node *p)
{
    struct node *r = 0;
    while (p != 0) {
        struct node *nx = p->next;
        p->next = r;
        r = p;
        p = nx;
    }
    return r;
}

/* comparison functions for the sort: by key, or by a value derived from val */
static int cmp_key(const struct node *a, const struct node *b, uint32_t salt)
{
    (void)salt;
    return a->key - b->key;
}

static int cmp_val(const struct node *a, const struct node *b, uint32_t salt)
{
    uint32_t va = (a->val ^ salt) & 0xFFFFu, vb = (b->val ^ salt) & 0xFFFFu;
    return (va > vb) - (va < vb);
}

typedef int (*cmp_fn)(const struct node *, const struct node *, uint32_t);

/* stable bottom-up merge sort of a singly linked list */
static struct node *list_sort(struct node *list, cmp_fn cmp, uint32_t salt)
{
    if (list == 0)
        return 0;
    for (uint32_t width = 1;; width *= 2) {
        struct node *p = list, *tail = 0;
        uint32_t merges = 0;
        list = 0;
        while (p != 0) {
            merges++;
            struct node *q = p;
            uint32_t psize = 0;
            for (uint32_t i = 0; i < width && q != 0; i++) {
                psize++;
                q = q->next;
            }
            uint32_t qsize = width;
            while (psize > 0 || (qsize > 0 && q != 0)) {
                struct node *e;
                if (psize == 0) {
                    e = q;
                    q = q->next;
                    qsize--;
                } else if (qsize == 0 || q == 0 || cmp(p, q, salt) <= 0) {
                    e = p;
                    p = p->next;
                    psize--;
                } else {
                    e = q;
                    q = q->next;
                    qsize--;
                }
                if (tail != 0)
                    tail->next = e;
                else
                    list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = 0;
        if (merges <= 1)
            return list;
    }
}

static uint32_t found_count, sorted_errors;

static uint16_t bench_list(struct node **headp, uint32_t iter, uint16_t crc)
{
    struct node *head = *headp;
    /* searches: keys that exist (taken from the pool) and keys that may not */
    for (uint32_t i = 0; i < 8; i++) {
        int16_t k = pool[(iter * 13u + i * 29u) % NODES].key;
        struct node *n = list_find(head, (int16_t)(k + (int16_t)(i & 1)));
        if (n != 0) {
            found_count++;
            n->data += iter;
        }
    }
    head = list_sort(head, cmp_key, 0);
    int16_t prev = -32768;
    for (struct node *p = head; p != 0; p = p->next) {
        if (p->key < prev)
            sorted_errors++;
        prev = p->key;
    }
    crc = crc16_u32(crc, (uint32_t)(uint16_t)head->key);
    head = list_sort(head, cmp_val, iter * 0x9E37u);
    head = list_reverse(head);
    /* fold the first nodes' order into the CRC, then perturb a value */
    uint32_t i = 0;
    for (struct node *p = head; p != 0 && i < 16; p = p->next, i++)
        crc = crc16_u32(crc, p->data ^ p->val);
    head->val = (uint16_t)(head->val + iter * 7u);
    *headp = head;
    return crc;
}

/* ---- 2. matrix multiply -------------------------------------------------- */

static int16_t ma[MAT][MAT], mb[MAT][MAT];
static int32_t mc[MAT][MAT];

static void matrix_init(void)
{
    for (uint32_t i = 0; i < MAT; i++)
        for (uint32_t j = 0; j < MAT; j++) {
            ma[i][j] = (int16_t)((rng() & 0x1FF) - 0x100);
            mb[i][j] = (int16_t)((rng() & 0x1FF) - 0x100);
        }
}

__attribute__((noinline)) static void matrix_mul(void)
{
    for (uint32_t i = 0; i < MAT; i++)
        for (uint32_t j = 0; j < MAT; j++) {
            int32_t s = 0;
            for (uint32_t k = 0; k < MAT; k++)
                s += (int32_t)ma[i][k] * mb[k][j];
            mc[i][j] = s;
        }
}

static uint16_t bench_matrix(uint32_t iter, uint16_t crc)
{
    /* perturb one row of A and one column of B */
    uint32_t r = iter % MAT;
    for (uint32_t j = 0; j < MAT; j++) {
        ma[r][j] = (int16_t)(ma[r][j] ^ (int16_t)(iter & 0x7F));
        mb[j][r] = (int16_t)(mb[j][r] + (int16_t)(iter & 0x3F) - 32);
    }
    matrix_mul();
    int32_t sum = 0, mx = mc[0][0];
    for (uint32_t i = 0; i < MAT; i++)
        for (uint32_t j = 0; j < MAT; j++) {
            sum += mc[i][j];
            if (mc[i][j] > mx)
                mx = mc[i][j];
        }
    crc = crc16_u32(crc, (uint32_t)sum);
    return crc16_u32(crc, (uint32_t)mx);
}

/* ---- 3. state machine ---------------------------------------------------- */

enum state { S_START, S_SIGN, S_INT, S_ZERO, S_HEX0, S_HEX, S_DOT, S_FRAC, S_EXP0, S_EXPSIGN,
             S_EXP, S_INVALID, S_NSTATES };

static uint32_t state_counts[S_NSTATES];
static uint32_t transitions;

static char text[] =
    "123,-45,+0,0x1F,3.25,-0.5e3,7e-2,12a,0xZZ,--1,.5,5.,1e,42,0,-0x10,99999,3.14159,"
    "2.71828e+0,0x7fffffff,-,+,1.2.3,8e8,0x,17,-273.15,6.022e23,1,22,333,4444,55555";

static enum state next_state(enum state s, char c)
{
    int digit = c >= '0' && c <= '9';
    int hexd = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    switch (s) {
    case S_START:
        if (c == '+' || c == '-') return S_SIGN;
        if (c == '0') return S_ZERO;
        if (digit) return S_INT;
        if (c == '.') return S_DOT;
        return S_INVALID;
    case S_SIGN:
        if (c == '0') return S_ZERO;
        if (digit) return S_INT;
        if (c == '.') return S_DOT;
        return S_INVALID;
    case S_ZERO:
        if (c == 'x' || c == 'X') return S_HEX0;
        /* fall through */
    case S_INT:
        if (digit) return S_INT;
        if (c == '.') return S_DOT;
        if (c == 'e' || c == 'E') return S_EXP0;
        return S_INVALID;
    case S_HEX0:
    case S_HEX:
        return hexd ? S_HEX : S_INVALID;
    case S_DOT:
    case S_FRAC:
        if (digit) return S_FRAC;
        if (c == 'e' || c == 'E') return S_EXP0;
        return S_INVALID;
    case S_EXP0:
        if (c == '+' || c == '-') return S_EXPSIGN;
        /* fall through */
    case S_EXPSIGN:
    case S_EXP:
        return digit ? S_EXP : S_INVALID;
    default:
        return S_INVALID;
    }
}

/* final state of a token -> its class */
static enum state classify(enum state s)
{
    switch (s) {
    case S_INT:
    case S_ZERO:
    case S_HEX:
    case S_FRAC:
    case S_EXP:
        return s;
    case S_DOT:         /* "5." counts as a decimal, a lone "." does not */
    default:
        return S_INVALID;
    }
}

static uint16_t bench_state(uint32_t iter, uint16_t crc)
{
    /* perturb one character (restored at the end) */
    uint32_t pos = (iter * 7u) % (sizeof text - 1);
    char saved = text[pos];
    if (saved != ',')
        text[pos] = (char)("0123456789.-+exX"[iter & 15]);

    enum state s = S_START;
    uint32_t local[S_NSTATES] = {0};
    for (const char *p = text;; p++) {
        char c = *p;
        if (c == ',' || c == '\0') {
            local[classify(s)]++;
            s = S_START;
            if (c == '\0')
                break;
            continue;
        }
        enum state ns = next_state(s, c);
        if (ns != s)
            transitions++;
        s = ns;
    }
    text[pos] = saved;
    for (uint32_t i = 0; i < S_NSTATES; i++) {
        state_counts[i] += local[i];
        crc = crc16_byte(crc, (uint8_t)local[i]);
    }
    return crc;
}

/* ---- main ---------------------------------------------------------------- */

int main(void)
{
    struct node *head = list_build();
    matrix_init();
    uint16_t crc = 0xFFFF;
    uint32_t check = 0;
    for (uint32_t iter = 0; iter < ITERATIONS; iter++) {
        crc = bench_list(&head, iter, crc);
        crc = bench_matrix(iter, crc);
        crc = bench_state(iter, crc);
        check = (check << 1 | check >> 31) ^ crc;
    }
    sh_printf("coremark_like: %u iterations, found %u, sort errors %u, transitions %u\n",
              (unsigned)ITERATIONS, (unsigned)found_count, (unsigned)sorted_errors,
              (unsigned)transitions);
    sh_printf("coremark_like: tokens int %u zero %u hex %u frac %u exp %u invalid %u\n",
              (unsigned)state_counts[S_INT], (unsigned)state_counts[S_ZERO],
              (unsigned)state_counts[S_HEX], (unsigned)state_counts[S_FRAC],
              (unsigned)state_counts[S_EXP], (unsigned)state_counts[S_INVALID]);
    sh_printf("CHECKSUM coremark_like %x\n", (unsigned)check);
    return sorted_errors == 0 ? 0 : 1;
}
