/*
 * ui_draw.h — what the window shows, drawn with an SDL_Renderer (a real
 * window's or a software renderer on an offscreen surface, the same code):
 * the layout of the panes for a given output size, the board from the
 * board YAML's `view` section, the process panel, the console pane, the
 * status bar and the help overlay; and hit-testing of the board's parts.
 * Everything here only reads the machine; ui_sdl.c owns the state.
 */
#ifndef HAILSIM_UI_DRAW_H
#define HAILSIM_UI_DRAW_H

#include <SDL.h>
#include <stdbool.h>
#include <stdint.h>

struct machine;
struct board;
struct procview;

#define UI_CON_LINES 256
#define UI_CON_COLS 160
#define UI_LOG_ROWS 8

/* The console pane's text: a ring of lines, the newest one still open. */
struct ui_console {
    char lines[UI_CON_LINES][UI_CON_COLS + 1];
    int newest, count;
};

/* What the status bar and the overlays show. */
struct ui_status {
    bool paused, show_help, show_log;
    double speed;               /* the setting: 0 = as fast as possible */
    double rate;                /* measured virtual/real factor (0 = not yet) */
    double mips;                /* measured host MIPS */
    const char *stopped;        /* why the run ended, or NULL while it runs */
};

/* The pane rectangles in output pixels, for an output of w x h. */
struct ui_layout {
    int w, h;
    int u;                      /* text scale: 1 normally, 2 on hi-DPI outputs */
    int lh, pad;                /* line height, padding */
    SDL_Rect board_area, procs, console, status;
    double bs;                  /* board scale (output px per view unit) */
    int bx, by;                 /* board origin */
};

struct ui_painter {
    SDL_Renderer *r;
    SDL_Texture *font;          /* the glyphs in one row, white on transparent */
};

struct ui_model {
    struct machine *m;
    const struct procview *pv;
    const struct ui_console *con;
    struct ui_status st;
};

void ui_layout_compute(struct ui_layout *L, int w, int h, double dpi, const struct board *b,
                       int nprocs, bool show_log);
/* A view part's rectangle in output pixels. */
SDL_Rect ui_part_rect(const struct ui_layout *L, const struct board *b, int part);
/* The button part (kind button) under output pixel (x, y), or -1. */
int ui_hit_button(const struct ui_layout *L, const struct board *b, int x, int y);

int ui_painter_init(struct ui_painter *p, SDL_Renderer *r, char *err, size_t errlen);
void ui_painter_free(struct ui_painter *p);
void ui_draw(struct ui_painter *p, const struct ui_layout *L, const struct ui_model *mdl);

void ui_console_put(struct ui_console *c, uint8_t byte);
/* The i-th newest line (0 = the open one), or NULL. */
const char *ui_console_line(const struct ui_console *c, int i);

#endif
