/*
 * ui_draw.c — drawing the window (see ui_draw.h).
 *
 * The board: the outline in the view's colour, then every part of the
 * board YAML's `view` list at its position scaled to the board pane:
 * chips (body, legs, label), LEDs (parts with the same rectangle form one
 * package, e.g. the RGB LED: the colours of the lit ones are added, and a
 * glow of blended circles surrounds it), buttons (pressed: darker cap),
 * header pins (a pad and an indicator: bright when high, dark when low,
 * hollow when nothing drives the pin) and labels.  Nothing about the board
 * is hard-coded here.
 */
#include <stdio.h>
#include <string.h>

#include "board_io.h"
#include "machine.h"
#include "procview.h"
#include "ui_draw.h"
#include "ui_font.h"

#define COL_BG 0x1E2226
#define COL_PANE 0x2A2F35
#define COL_TEXT 0xE0E0E0
#define COL_DIM 0x8A9099
#define COL_TITLE 0xFFFFFF
#define GLOW_STEPS 14

/* ---- primitives ---------------------------------------------------------------------- */

static void set_color(SDL_Renderer *r, uint32_t rgb, uint8_t a)
{
    SDL_SetRenderDrawColor(r, (uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8), (uint8_t)rgb, a);
}

static void fill(SDL_Renderer *r, SDL_Rect rc, uint32_t rgb)
{
    set_color(r, rgb, 255);
    SDL_RenderFillRect(r, &rc);
}

static void outline(SDL_Renderer *r, SDL_Rect rc, uint32_t rgb)
{
    set_color(r, rgb, 255);
    SDL_RenderDrawRect(r, &rc);
}

static void fill_circle(SDL_Renderer *r, int cx, int cy, int rad, uint32_t rgb, uint8_t a)
{
    set_color(r, rgb, a);
    for (int dy = -rad; dy <= rad; dy++) {
        int dx = 0;
        while ((dx + 1) * (dx + 1) + dy * dy <= rad * rad)
            dx++;
        SDL_RenderDrawLine(r, cx - dx, cy + dy, cx + dx, cy + dy);
    }
}

static uint32_t shade(uint32_t rgb, int num, int den)
{
    uint32_t out = 0;
    for (int s = 0; s <= 16; s += 8) {
        int c = (int)(rgb >> s & 0xFF) * num / den;
        out |= (uint32_t)(c > 255 ? 255 : c) << s;
    }
    return out;
}

static SDL_Rect rect(int x, int y, int w, int h)
{
    return (SDL_Rect){ x, y, w, h };
}

/* ---- text ---------------------------------------------------------------------------- */

int ui_painter_init(struct ui_painter *p, SDL_Renderer *r, char *err, size_t errlen)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, 95 * UI_FONT_W, UI_FONT_H, 32, SDL_PIXELFORMAT_ARGB8888);
    p->r = r;
    p->font = NULL;
    if (!s) {
        snprintf(err, errlen, "SDL: cannot create the font surface: %s", SDL_GetError());
        return -1;
    }
    uint32_t *px = s->pixels;
    int pitch = s->pitch / 4;
    for (int c = 0; c < 95; c++) {
        const uint8_t *g = ui_font_glyph((unsigned char)(c + 32));
        for (int y = 0; y < UI_FONT_H; y++)
            for (int x = 0; x < UI_FONT_W; x++)
                px[y * pitch + c * UI_FONT_W + x] = g[y] & (0x80 >> x) ? 0xFFFFFFFFu : 0x00FFFFFFu;
    }
    p->font = SDL_CreateTextureFromSurface(r, s);
    SDL_FreeSurface(s);
    if (!p->font) {
        snprintf(err, errlen, "SDL: cannot create the font texture: %s", SDL_GetError());
        return -1;
    }
    SDL_SetTextureBlendMode(p->font, SDL_BLENDMODE_BLEND);
    return 0;
}

void ui_painter_free(struct ui_painter *p)
{
    if (p->font)
        SDL_DestroyTexture(p->font);
    p->font = NULL;
}

/* Draws at most `max` characters of s at scale u; returns the x after the text. */
static int text_n(const struct ui_painter *p, int x, int y, const char *s, size_t max, uint32_t rgb, int u)
{
    SDL_SetTextureColorMod(p->font, (uint8_t)(rgb >> 16), (uint8_t)(rgb >> 8), (uint8_t)rgb);
    for (size_t i = 0; s[i] && i < max; i++, x += UI_FONT_W * u) {
        unsigned char c = (unsigned char)s[i];
        int g = c >= 32 && c <= 126 ? c - 32 : '?' - 32;
        SDL_Rect src = rect(g * UI_FONT_W, 0, UI_FONT_W, UI_FONT_H), dst = rect(x, y, UI_FONT_W * u, UI_FONT_H * u);
        SDL_RenderCopy(p->r, p->font, &src, &dst);
    }
    return x;
}

static int text(const struct ui_painter *p, int x, int y, const char *s, uint32_t rgb, int u)
{
    return text_n(p, x, y, s, (size_t)-1, rgb, u);
}

static void text_centered(const struct ui_painter *p, SDL_Rect rc, const char *s, uint32_t rgb, int u)
{
    int w = (int)strlen(s) * UI_FONT_W * u;
    text(p, rc.x + (rc.w - w) / 2, rc.y + (rc.h - UI_FONT_H * u) / 2, s, rgb, u);
}

/* ---- layout -------------------------------------------------------------------------- */

static int procs_rows(int nprocs, bool show_log)
{
    return 2 + (nprocs > 0 ? nprocs : 1) + (show_log ? 2 + UI_LOG_ROWS : 0);
}

void ui_layout_compute(struct ui_layout *L, int w, int h, double dpi, const struct board *b,
                       int nprocs, bool show_log)
{
    const struct board_view *v = &b->view;
    L->w = w;
    L->h = h;
    L->u = dpi >= 1.5 ? (int)(dpi + 0.5) : 1;
    L->lh = (UI_FONT_H + 3) * L->u;
    L->pad = 6 * L->u;
    int sh = L->lh + 2 * L->pad;
    L->status = rect(0, h - sh, w, sh);
    int ah = h - sh - 2 * L->pad, aw = (int)((double)ah * v->width / v->height);
    if (aw > w * 2 / 5)
        aw = w * 2 / 5;
    L->board_area = rect(L->pad, L->pad, aw, ah);
    double sx = (double)aw / v->width, sy = (double)ah / v->height;
    L->bs = sx < sy ? sx : sy;
    L->bx = L->board_area.x + (aw - (int)(v->width * L->bs)) / 2;
    L->by = L->board_area.y + (ah - (int)(v->height * L->bs)) / 2;
    int rx = L->board_area.x + aw + L->pad, rw = w - rx - L->pad;
    int ph = procs_rows(nprocs, show_log) * L->lh + 2 * L->pad;
    if (ph > ah / 2)
        ph = ah / 2;
    L->procs = rect(rx, L->pad, rw, ph);
    L->console = rect(rx, L->pad * 2 + ph, rw, ah - ph - L->pad);
}

SDL_Rect ui_part_rect(const struct ui_layout *L, const struct board *b, int part)
{
    const struct board_view_part *p = &b->view.parts[part];
    return rect(L->bx + (int)(p->x * L->bs), L->by + (int)(p->y * L->bs),
                (int)(p->w * L->bs + 0.5), (int)(p->h * L->bs + 0.5));
}

int ui_hit_button(const struct ui_layout *L, const struct board *b, int x, int y)
{
    SDL_Point pt = { x, y };
    for (int i = 0; i < b->view.nparts; i++) {
        SDL_Rect rc = ui_part_rect(L, b, i);
        if (b->view.parts[i].kind == BOARD_VIEW_BUTTON && SDL_PointInRect(&pt, &rc))
            return i;
    }
    return -1;
}

/* ---- the board ------------------------------------------------------------------------- */

static int find_named(const struct board *b, enum board_view_kind kind, const char *ref)
{
    int n = kind == BOARD_VIEW_LED ? b->nleds : kind == BOARD_VIEW_BUTTON ? b->nbuttons : b->nheader_pins;
    for (int i = 0; i < n; i++) {
        const char *name = kind == BOARD_VIEW_LED ? b->leds[i].name
                         : kind == BOARD_VIEW_BUTTON ? b->buttons[i].name : b->header_pins[i].label;
        if (strcmp(name, ref) == 0)
            return i;
    }
    return -1;
}

static void draw_outline(const struct ui_painter *p, const struct ui_layout *L, const struct board *b)
{
    const struct board_view *v = &b->view;
    int w = (int)(v->width * L->bs), h = (int)(v->height * L->bs), hole = (int)(8 * L->bs) + 1;
    fill(p->r, rect(L->bx, L->by, w, h), shade(v->color_rgb, 7, 10));
    fill(p->r, rect(L->bx + 2, L->by + 2, w - 4, h - 4), v->color_rgb);
    int hx[2] = { L->bx + 2 * hole, L->bx + w - 2 * hole }, hy[2] = { L->by + 2 * hole, L->by + h - 2 * hole };
    for (int i = 0; i < 4; i++) {
        fill_circle(p->r, hx[i & 1], hy[i >> 1], hole, 0xC8A040, 255);
        fill_circle(p->r, hx[i & 1], hy[i >> 1], hole * 2 / 3, COL_BG, 255);
    }
}

static void draw_chip(const struct ui_painter *p, const struct ui_layout *L, const struct board_view_part *part, SDL_Rect rc)
{
    int leg = rc.w / 24 + 1, n = rc.w / (3 * leg);
    for (int i = 1; i < n; i++) {
        int off = i * rc.w / n;
        fill(p->r, rect(rc.x + off - leg / 2, rc.y - leg * 2, leg, rc.h + leg * 4), 0xB8B8B8);
        fill(p->r, rect(rc.x - leg * 2, rc.y + off * rc.h / rc.w - leg / 2, rc.w + leg * 4, leg), 0xB8B8B8);
    }
    fill(p->r, rc, part->color_rgb);
    outline(p->r, rc, shade(part->color_rgb, 3, 2) | 0x202020);
    fill_circle(p->r, rc.x + leg * 3, rc.y + leg * 3, leg, shade(part->color_rgb, 1, 2), 255);
    text_centered(p, rc, part->label, part->color_rgb > 0x808080 ? 0x202020 : 0xD0D0D0, L->u);
}

/* The colour of the LED package at rc: the sum of its lit LEDs' colours (0 when all are off). */
static uint32_t led_mix(const struct machine *m, const struct ui_layout *L, SDL_Rect rc, int *lit)
{
    const struct board *b = m->board;
    unsigned r = 0, g = 0, bl = 0;
    *lit = 0;
    for (int i = 0; i < b->view.nparts; i++) {
        const struct board_view_part *q = &b->view.parts[i];
        SDL_Rect qr = ui_part_rect(L, b, i);
        int led = q->kind == BOARD_VIEW_LED ? find_named(b, BOARD_VIEW_LED, q->ref) : -1;
        if (led < 0 || !SDL_RectEquals(&qr, &rc) || !board_io_led_on(m, led))
            continue;
        r += q->color_rgb >> 16 & 0xFF;
        g += q->color_rgb >> 8 & 0xFF;
        bl += q->color_rgb & 0xFF;
        (*lit)++;
    }
    return (r > 255 ? 255 : r) << 16 | (g > 255 ? 255 : g) << 8 | (bl > 255 ? 255 : bl);
}

static bool drawn_before(const struct board *b, const struct ui_layout *L, int part, SDL_Rect rc)
{
    for (int i = 0; i < part; i++) {
        SDL_Rect qr = ui_part_rect(L, b, i);
        if (b->view.parts[i].kind == BOARD_VIEW_LED && SDL_RectEquals(&qr, &rc))
            return true;
    }
    return false;
}

static void draw_glow(const struct ui_painter *p, int cx, int cy, int rad, uint32_t rgb)
{
    for (int i = 0; i < GLOW_STEPS; i++) {
        int rr = rad * 3 - (rad * 2 * i) / GLOW_STEPS;
        fill_circle(p->r, cx, cy, rr, rgb, (uint8_t)(10 + i));
    }
}

static void draw_led(const struct ui_painter *p, const struct ui_layout *L, const struct machine *m, int part, SDL_Rect rc)
{
    if (drawn_before(m->board, L, part, rc))
        return;                                 /* one package per rectangle */
    int lit, cx = rc.x + rc.w / 2, cy = rc.y + rc.h / 2, rad = rc.w < rc.h ? rc.w / 2 : rc.h / 2;
    uint32_t mix = led_mix(m, L, rc, &lit);
    fill(p->r, rc, 0xE8E8E0);
    outline(p->r, rc, 0x909090);
    if (lit) {
        draw_glow(p, cx, cy, rad, mix);
        fill_circle(p->r, cx, cy, rad * 3 / 4, mix, 255);
        fill_circle(p->r, cx - rad / 4, cy - rad / 4, rad / 5 + 1, 0xFFFFFF, 200);
    } else {
        fill_circle(p->r, cx, cy, rad * 3 / 4, 0xB0B0A8, 255);
    }
    const char *label = m->board->view.parts[part].label;
    text(p, cx - (int)strlen(label) * UI_FONT_W * L->u / 2, rc.y + rc.h + L->u * 2, label, COL_TEXT, L->u);
}

static void draw_button(const struct ui_painter *p, const struct ui_layout *L, const struct machine *m,
                        const struct board_view_part *part, SDL_Rect rc)
{
    int btn = find_named(m->board, BOARD_VIEW_BUTTON, part->ref);
    bool down = btn >= 0 && board_io_button_pressed(m, btn);
    int side = rc.h < rc.w ? rc.h : rc.w, cx = rc.x + rc.w / 2, cy = rc.y + rc.h / 2;
    fill(p->r, rect(cx - side / 2, cy - side / 2, side, side), part->color_rgb);
    outline(p->r, rect(cx - side / 2, cy - side / 2, side, side), shade(part->color_rgb, 1, 2));
    fill_circle(p->r, cx, cy, side * 3 / 8, down ? 0x0A0A0A : 0x303030, 255);
    if (!down)
        fill_circle(p->r, cx - side / 12, cy - side / 12, side / 4, 0x454545, 255);
    text(p, cx - (int)strlen(part->label) * UI_FONT_W * L->u / 2, rc.y + rc.h + L->u * 2, part->label,
         down ? 0xFFE080 : COL_TEXT, L->u);
}

static void draw_pin(const struct ui_painter *p, const struct ui_layout *L, const struct machine *m,
                     const struct board_view_part *part, SDL_Rect rc)
{
    int hp = find_named(m->board, BOARD_VIEW_PIN, part->ref);
    int level = hp >= 0 ? board_io_pin_level(m, m->board->header_pins[hp].pin.port,
                                             m->board->header_pins[hp].pin.index) : -1;
    int cx = rc.x + rc.w / 2, cy = rc.y + rc.h / 2, rad = rc.w / 2;
    fill_circle(p->r, cx, cy, rad, part->color_rgb, 255);
    fill_circle(p->r, cx, cy, rad / 2, 0x101010, 255);
    int s = rad + 2, ix = rc.x - s - 3 * L->u;
    SDL_Rect ind = rect(ix, cy - s / 2, s, s);
    if (level < 0)
        outline(p->r, ind, 0x909090);
    else
        fill(p->r, ind, level ? 0x50FF50 : 0x1A3A1A);
    int tw = (int)strlen(part->label) * UI_FONT_W * L->u;
    text(p, ix - tw - 3 * L->u, cy - UI_FONT_H * L->u / 2, part->label, COL_TEXT, L->u);
}

static void draw_part(const struct ui_painter *p, const struct ui_layout *L, const struct machine *m, int i)
{
    const struct board_view_part *part = &m->board->view.parts[i];
    SDL_Rect rc = ui_part_rect(L, m->board, i);
    switch (part->kind) {
    case BOARD_VIEW_CHIP: draw_chip(p, L, part, rc); break;
    case BOARD_VIEW_LED: draw_led(p, L, m, i, rc); break;
    case BOARD_VIEW_BUTTON: draw_button(p, L, m, part, rc); break;
    case BOARD_VIEW_PIN: draw_pin(p, L, m, part, rc); break;
    case BOARD_VIEW_LABEL: text_centered(p, rc, part->label, part->color_rgb, L->u * 2); break;
    }
}

static void draw_board(const struct ui_painter *p, const struct ui_layout *L, const struct machine *m)
{
    draw_outline(p, L, m->board);
    for (int i = 0; i < m->board->view.nparts; i++)    /* LEDs last: their glow lies on top */
        if (m->board->view.parts[i].kind != BOARD_VIEW_LED)
            draw_part(p, L, m, i);
    for (int i = 0; i < m->board->view.nparts; i++)
        if (m->board->view.parts[i].kind == BOARD_VIEW_LED)
            draw_part(p, L, m, i);
}

/* ---- the process panel --------------------------------------------------------------- */

static uint32_t state_color(uint32_t state)
{
    static const uint32_t colors[] = {
        COL_DIM, 0x50E050, 0x60A0FF, 0x40D0D0, 0xE0C040, 0xE0C040, 0xE0C040, 0xFF5050, 0x909090
    };
    return state < sizeof colors / sizeof colors[0] ? colors[state] : COL_DIM;
}

/* Column starts in characters: name, state, syscalls, restarts, timeslice expirations, fault. */
static const int proc_cols[] = { 0, 16, 37, 47, 52, 59 };

static void proc_row(const struct ui_painter *p, const struct ui_layout *L, int y, const struct procview_proc *pr)
{
    int x = L->procs.x + L->pad, cw = UI_FONT_W * L->u;
    char buf[4][64];
    snprintf(buf[0], sizeof buf[0], "%u", pr->syscalls);
    snprintf(buf[1], sizeof buf[1], "%u", pr->restarts);
    snprintf(buf[2], sizeof buf[2], "%u", pr->timeslices);
    if (pr->fault_kind)
        snprintf(buf[3], sizeof buf[3], "%s pc 0x%08x", procview_fault_name(pr->fault_kind), pr->fault_pc);
    else
        snprintf(buf[3], sizeof buf[3], "-");
    text(p, x, y, pr->name, COL_TEXT, L->u);
    text(p, x + proc_cols[1] * cw, y, procview_state_name(pr->state), state_color(pr->state), L->u);
    for (int i = 0; i < 4; i++)
        text(p, x + proc_cols[2 + i] * cw, y, buf[i], i == 3 && pr->fault_kind ? 0xFF7070 : COL_TEXT, L->u);
}

static void log_rows(const struct ui_painter *p, const struct ui_layout *L, const struct procview *pv, int y)
{
    int x = L->procs.x + L->pad;
    text(p, x, y, "SYSTEM CALLS (newest first; one line = the calls between two samples)", COL_DIM, L->u);
    for (int i = 0; i < UI_LOG_ROWS; i++) {
        const struct procview_log_entry *e = procview_log_get(pv, i);
        char sc[48], line[160];
        if (!e)
            break;
        procview_syscall_text(e->syscall, sc, sizeof sc);
        snprintf(line, sizeof line, "%10.3f s  %-15s %-20s x%u", (double)e->t_ns / 1e9, e->name, sc, e->calls);
        text(p, x, y + (i + 1) * L->lh, line, COL_TEXT, L->u);
    }
}

static void draw_procs(const struct ui_painter *p, const struct ui_layout *L, const struct ui_model *mdl)
{
    const struct procview *pv = mdl->pv;
    int x = L->procs.x + L->pad, y = L->procs.y + L->pad, cw = UI_FONT_W * L->u;
    static const char *const heads[] = { "PROCESS", "STATE", "SYSCALLS", "RST", "SLICE", "LAST FAULT" };
    fill(p->r, L->procs, COL_PANE);
    SDL_RenderSetClipRect(p->r, &L->procs);
    for (int i = 0; i < 6; i++)
        text(p, x + proc_cols[i] * cw, y, heads[i], COL_TITLE, L->u);
    y += L->lh;
    if (!pv->present || !pv->valid)
        text(p, x, y, pv->present ? "kernel_awareness: not initialised yet"
                                  : "no kernel_awareness table in this image (bare metal?)", COL_DIM, L->u);
    for (int i = 0; i < pv->nprocs; i++, y += L->lh)
        proc_row(p, L, y, &pv->procs[i]);
    if (mdl->st.show_log)
        log_rows(p, L, pv, y + L->lh * (pv->nprocs ? 1 : 2));
    SDL_RenderSetClipRect(p->r, NULL);
}

/* ---- the console pane ---------------------------------------------------------------- */

void ui_console_put(struct ui_console *c, uint8_t byte)
{
    if (c->count == 0)
        c->count = 1;
    char *line = c->lines[c->newest];
    size_t len = strlen(line);
    if (byte == '\b' || byte == 0x7F) {
        if (len)
            line[len - 1] = '\0';
        return;
    }
    if (byte == '\n' || len >= UI_CON_COLS) {
        c->newest = (c->newest + 1) % UI_CON_LINES;
        c->lines[c->newest][0] = '\0';
        c->count += c->count < UI_CON_LINES;
        if (byte == '\n')
            return;
        line = c->lines[c->newest];
        len = 0;
    }
    if (byte == '\t')
        byte = ' ';
    if (byte >= 32 && byte < 127) {
        line[len] = (char)byte;
        line[len + 1] = '\0';
    }
}

const char *ui_console_line(const struct ui_console *c, int i)
{
    if (i < 0 || i >= c->count)
        return NULL;
    return c->lines[(c->newest - i + UI_CON_LINES) % UI_CON_LINES];
}

/* Draws the lines bottom-up, wrapped at the pane's width, until the top is reached. */
static void console_text(const struct ui_painter *p, const struct ui_layout *L, const struct ui_console *con, int top)
{
    int cols = (L->console.w - 2 * L->pad) / (UI_FONT_W * L->u), y = L->console.y + L->console.h - L->pad;
    if (cols < 1)
        return;
    const char *s;
    for (int i = 0; (s = ui_console_line(con, i)) && y > top; i++) {
        int len = (int)strlen(s), rows = len ? (len + cols - 1) / cols : 1;
        for (int r = rows - 1; r >= 0 && y > top; r--) {
            y -= L->lh;
            text_n(p, L->console.x + L->pad, y, s + r * cols, (size_t)cols, COL_TEXT, L->u);
        }
    }
}

static void draw_console(const struct ui_painter *p, const struct ui_layout *L, const struct ui_model *mdl)
{
    const char *uart = board_io_console(mdl->m);
    char title[96];
    snprintf(title, sizeof title, "CONSOLE %s  (type to send to its receiver)", uart ? uart : "(none)");
    fill(p->r, L->console, 0x15181B);
    SDL_RenderSetClipRect(p->r, &L->console);
    text(p, L->console.x + L->pad, L->console.y + L->pad, title, COL_TITLE, L->u);
    console_text(p, L, mdl->con, L->console.y + L->pad + L->lh);
    SDL_RenderSetClipRect(p->r, NULL);
}

/* ---- status bar and help -------------------------------------------------------------- */

static void draw_status(const struct ui_painter *p, const struct ui_layout *L, const struct ui_model *mdl)
{
    const struct ui_status *st = &mdl->st;
    char speed[24], line[256];
    if (st->speed > 0)
        snprintf(speed, sizeof speed, "%gx", st->speed);
    else
        snprintf(speed, sizeof speed, "max");
    snprintf(line, sizeof line, "t = %.3f s   real-time factor %.2f   %.1f MIPS   speed %s   F1: help",
             (double)machine_time_ns(mdl->m) / 1e9, st->rate, st->mips, speed);
    const char *state = st->stopped ? "STOPPED" : st->paused ? "PAUSED" : "RUNNING";
    uint32_t scol = st->stopped ? 0xFF5050 : st->paused ? 0xFFD040 : 0x50E050;
    fill(p->r, L->status, 0x101214);
    int y = L->status.y + L->pad, x = text(p, L->pad, y, state, scol, L->u);
    x = text(p, x + 2 * UI_FONT_W * L->u, y, line, COL_TEXT, L->u);
    if (st->stopped)
        text(p, x + 2 * UI_FONT_W * L->u, y, st->stopped, 0xFF8080, L->u);
}

static const char *const help_lines[] = {
    "hailsim - keys",
    "",
    "F1  / Ctrl-H    this help",
    "F2  (hold)      hold the user button (or hold the mouse on it)",
    "Ctrl-B          toggle the user button",
    "F5  / Ctrl-R    reset the board (or click RESET)",
    "F6  / Ctrl-P    pause / resume",
    "F7  / Ctrl-N    single step: 1 ms of virtual time, then pause",
    "F8  / Ctrl-S    speed: real time -> 10x -> as fast as possible",
    "F9  / Ctrl-L    system-call log on / off",
    "Ctrl-Q / close  quit",
    "other keys      typed into the console UART",
};

static void draw_help(const struct ui_painter *p, const struct ui_layout *L)
{
    int n = (int)(sizeof help_lines / sizeof help_lines[0]);
    int w = 66 * UI_FONT_W * L->u + 2 * L->pad, h = n * L->lh + 2 * L->pad;
    SDL_Rect box = rect((L->w - w) / 2, (L->h - h) / 2, w, h);
    SDL_SetRenderDrawBlendMode(p->r, SDL_BLENDMODE_BLEND);
    set_color(p->r, 0x000000, 215);
    SDL_RenderFillRect(p->r, &box);
    outline(p->r, box, 0xA0A0A0);
    for (int i = 0; i < n; i++)
        text(p, box.x + L->pad, box.y + L->pad + i * L->lh, help_lines[i], i ? COL_TEXT : COL_TITLE, L->u);
}

void ui_draw(struct ui_painter *p, const struct ui_layout *L, const struct ui_model *mdl)
{
    SDL_SetRenderDrawBlendMode(p->r, SDL_BLENDMODE_BLEND);
    set_color(p->r, COL_BG, 255);
    SDL_RenderClear(p->r);
    draw_board(p, L, mdl->m);
    draw_procs(p, L, mdl);
    draw_console(p, L, mdl);
    draw_status(p, L, mdl);
    if (mdl->st.show_help)
        draw_help(p, L);
}
