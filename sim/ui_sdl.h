/*
 * ui_sdl.h — the virtual Hail board in an SDL2 window (issue #6; drawing in
 * ui_draw.c, processes from procview.c, docs/ui.md for the user's view).
 *
 * Like the terminal view (termview.h), the window lives in one periodic evq
 * timer of virtual time (UI_SDL_TICK_NS): it handles the window's events
 * (mouse on the board's buttons, keyboard shortcuts, typed text for the
 * console UART), paces virtual time against host time (real time by
 * default; 10x; as fast as possible), samples the kernel-awareness table
 * and redraws at most ~30 times a second.  While waiting it blocks in
 * SDL_WaitEventTimeout or nanosleep, and m->idle_fn paces WFI
 * fast-forwards, so a sleeping guest leaves the host idle.
 *
 * Offscreen mode (--screenshot without --window) needs no display: a
 * software renderer draws into a surface, virtual time runs as fast as
 * possible (unless --speed), and PNG screenshots are written at virtual
 * times.  Tests inject window events at virtual times (--ui-event).
 */
#ifndef HAILSIM_UI_SDL_H
#define HAILSIM_UI_SDL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct ui_sdl;

#define UI_SDL_TICK_NS 10000000ull         /* 10 ms of virtual time */
#define UI_SDL_STEP_NS 1000000ull          /* single step: 1 ms of virtual time */
#define UI_SDL_DEFAULT_W 960
#define UI_SDL_DEFAULT_H 640

struct ui_sdl_config {
    const char *kernel_elf;     /* for the kernel-awareness table's address */
    bool offscreen;             /* no window: software renderer on a surface */
    bool has_speed;
    double speed;               /* virtual/real, 0 = as fast as possible */
    int width, height;          /* window size in window coordinates */
    const char *screenshot;     /* PNG path, or NULL */
    bool has_at;
    uint64_t at_ns;             /* screenshot/dump at this virtual time, then stop */
    uint64_t every_ns;          /* also a numbered screenshot every this much (0 = no) */
    const char *dump_state;     /* text dump of what the window shows (tests), or NULL */
    int nevents;
    const char *const *events;  /* --ui-event SPEC@TIME */
    struct hostio *hostio;      /* PTY/TCP console to poll too, or NULL */
};

/* True when an SDL video driver may find a display (DISPLAY, WAYLAND_DISPLAY
 * or SDL_VIDEODRIVER is set). */
bool ui_sdl_display_available(void);
/* Opens the window (or the offscreen surface) and arms the tick.  NULL with
 * a clear message in err (e.g. no SDL video driver). */
struct ui_sdl *ui_sdl_start(struct machine *m, const struct ui_sdl_config *c, char *err, size_t errlen);
/* After the run: the final screenshot / state dump when still due; a window
 * whose guest stopped by itself (exit, lockup) stays open showing why until
 * it is closed.  A file that cannot be written is reported on stderr. */
void ui_sdl_finish(struct ui_sdl *ui);
/* Closes the window; after machine_destroy() (the event queue points at our timers). */
void ui_sdl_free(struct ui_sdl *ui);
/* Quit was asked for (Ctrl-Q, window closed). */
bool ui_sdl_quit_requested(const struct ui_sdl *ui);

#endif
