/*
 * board_wiring.c — the board loader's "wiring" section (LEDs, buttons,
 * console, header pins: what on the board is connected to which chip pin or
 * peripheral) and "view" section (how the board is drawn).  Schema:
 * docs/board-yaml.md.  Called from board.c after the peripherals are read,
 * so pins and the console can be checked against them.
 */
#include "board.h"
#include "board_yaml.h"

#include <stdio.h>
#include <string.h>

/* Pins already wired, to refuse a pin wired twice. */
#define WIRE_MAX (BOARD_MAX_LEDS + BOARD_MAX_BUTTONS + BOARD_MAX_HEADER_PINS)
struct wired {
    int n;
    struct board_pin pin[WIRE_MAX];
    char path[WIRE_MAX][BY_PATH_LEN];
    int line[WIRE_MAX];
};

static const char *const wiring_keys[] = { "leds", "buttons", "console", "header", NULL };
static const char *const led_keys[] = { "name", "pin", "active_low", "color", NULL };
static const char *const button_keys[] = { "name", "pin", "active_low", NULL };
static const char *const console_keys[] = { "uart", "baud", NULL };

/* ---- pins ----------------------------------------------------------------- */

static int check_pin_port(struct byctx *c, yaml_node_t *n, const char *path,
                          const struct board *b, const char *text,
                          const struct board_pin *pin)
{
    int nports = board_gpio_port_count(b);
    if (pin->port < nports)
        return 0;
    if (nports == 0)
        return by_fail(c, n, path, "'%s': port %c does not exist; expected no pins "
                       "(the board has no gpio peripherals)", text, 'A' + pin->port);
    return by_fail(c, n, path, "'%s': port %c does not exist; expected a port A..%c "
                   "(one per gpio peripheral, in file order)", text, 'A' + pin->port,
                   'A' + nports - 1);
}

static int check_pin_unused(struct byctx *c, yaml_node_t *n, const char *path,
                            struct wired *w, const char *text,
                            const struct board_pin *pin)
{
    for (int i = 0; i < w->n; i++)
        if (w->pin[i].port == pin->port && w->pin[i].index == pin->index)
            return by_fail(c, n, path, "pin %s is already wired to %s (line %d); "
                           "expected each pin wired once", text, w->path[i], w->line[i]);
    if (w->n < WIRE_MAX) {
        w->pin[w->n] = *pin;
        snprintf(w->path[w->n], BY_PATH_LEN, "%s", path);
        w->line[w->n++] = by_line(n);
    }
    return 0;
}

/* A pin name such as "PA13" at node n: well formed, on an existing port,
 * not wired yet. */
static int read_pin(struct byctx *c, yaml_node_t *n, const char *path,
                    const struct board *b, struct wired *w, struct board_pin *pin)
{
    char text[BOARD_NAME_LEN];
    if (by_str(c, n, path, text, sizeof text))
        return -1;
    if (board_parse_pin(text, pin))
        return by_fail(c, n, path, "'%s' is not a pin name; expected P<port letter>"
                       "<0..31>, e.g. PA13", text);
    if (check_pin_port(c, n, path, b, text, pin))
        return -1;
    return check_pin_unused(c, n, path, w, text, pin);
}

static int req_pin(struct byctx *c, yaml_node_t *map, const char *path,
                   const struct board *b, struct wired *w, struct board_pin *pin)
{
    char p[BY_PATH_LEN];
    yaml_node_t *v;
    if (by_req(c, map, path, "pin", "a pin name such as PA13", &v))
        return -1;
    by_path_key(p, path, "pin");
    return read_pin(c, v, p, b, w, pin);
}

/* ---- leds and buttons ----------------------------------------------------- */

/* names[k] for k < i must differ from names[i]. */
static int check_unique(struct byctx *c, yaml_node_t *item, const char *path,
                        const char *list, const char *name, int i,
                        const char *(*name_of)(const struct board *, int),
                        const struct board *b)
{
    char p[BY_PATH_LEN];
    for (int k = 0; k < i; k++) {
        if (strcmp(name_of(b, k), name) != 0)
            continue;
        by_path_key(p, path, "name");
        return by_fail(c, by_get(c, item, "name"), p, "'%s' is already used by %s[%d]; "
                       "expected unique names", name, list, k);
    }
    return 0;
}

static const char *led_name(const struct board *b, int i) { return b->leds[i].name; }
static const char *button_name(const struct board *b, int i) { return b->buttons[i].name; }

static int parse_led(struct byctx *c, yaml_node_t *n, const char *path,
                     struct board *b, struct wired *w, int i)
{
    struct board_led *l = &b->leds[i];
    char p[BY_PATH_LEN];
    yaml_node_t *v;
    by_path_key(p, path, "color");
    if (by_check_map(c, n, path, led_keys, "a mapping (name, pin, active_low, color)") ||
        by_req_str(c, n, path, "name", l->name, sizeof l->name) ||
        check_unique(c, n, path, "wiring.leds", l->name, i, led_name, b) ||
        req_pin(c, n, path, b, w, &l->pin) ||
        by_opt_bool(c, n, path, "active_low", &l->active_low) ||
        by_req(c, n, path, "color", "a colour 0xRRGGBB", &v))
        return -1;
    return by_color(c, v, p, &l->color_rgb);
}

static int parse_button(struct byctx *c, yaml_node_t *n, const char *path,
                        struct board *b, struct wired *w, int i)
{
    struct board_button *bt = &b->buttons[i];
    if (by_check_map(c, n, path, button_keys, "a mapping (name, pin, active_low)") ||
        by_req_str(c, n, path, "name", bt->name, sizeof bt->name) ||
        check_unique(c, n, path, "wiring.buttons", bt->name, i, button_name, b) ||
        req_pin(c, n, path, b, w, &bt->pin))
        return -1;
    return by_opt_bool(c, n, path, "active_low", &bt->active_low);
}

typedef int (*item_fn)(struct byctx *, yaml_node_t *, const char *, struct board *,
                       struct wired *, int);

/* Optional list wiring.<key> of at most max items, each read by fn. */
static int parse_list(struct byctx *c, yaml_node_t *wm, const char *key, int max,
                      item_fn fn, struct board *b, struct wired *w, int *count)
{
    char lp[BY_PATH_LEN], ip[BY_PATH_LEN];
    yaml_node_t *s = by_get(c, wm, key);
    int n = 0;
    by_path_key(lp, "wiring", key);
    if (!s)
        return 0;
    if (by_check_seq(c, s, lp, max, "a list of mappings", &n))
        return -1;
    for (int i = 0; i < n; i++) {
        by_path_idx(ip, lp, i);
        if (fn(c, by_seq_item(c, s, i), ip, b, w, i))
            return -1;
        *count = i + 1;
    }
    return 0;
}

/* ---- console and header --------------------------------------------------- */

static int parse_console(struct byctx *c, yaml_node_t *wm, struct board *b)
{
    const char *what = "a mapping (uart, baud)";
    struct board_console *con = &b->console;
    yaml_node_t *n = by_get(c, wm, "console");
    if (!n)
        return 0;
    if (by_check_map(c, n, "wiring.console", console_keys, what) ||
        by_req_str(c, n, "wiring.console", "uart", con->uart, sizeof con->uart) ||
        by_req_u32(c, n, "wiring.console", "baud", 300, 3000000, 0, &con->baud))
        return -1;
    const struct board_periph *p = board_find_periph(b, con->uart);
    yaml_node_t *u = by_get(c, n, "uart");
    if (!p)
        return by_fail(c, u, "wiring.console.uart", "'%s' is not a peripheral; "
                       "expected the name of a usart peripheral", con->uart);
    if (strcmp(p->type, "usart") != 0)
        return by_fail(c, u, "wiring.console.uart", "'%s' is a %s peripheral; "
                       "expected the name of a usart peripheral", con->uart, p->type);
    b->has_console = true;
    return 0;
}

static int parse_header(struct byctx *c, yaml_node_t *wm, struct board *b,
                        struct wired *w)
{
    const char *what = "a mapping of pin labels to chip pins (D0: PB14)";
    char p[BY_PATH_LEN];
    yaml_node_t *h = by_get(c, wm, "header");
    if (!h)
        return 0;
    if (by_check_map(c, h, "wiring.header", NULL, what))
        return -1;
    int n = by_map_len(h);
    if (n > BOARD_MAX_HEADER_PINS)
        return by_fail(c, h, "wiring.header", "has %d pins; expected at most %d", n,
                       BOARD_MAX_HEADER_PINS);
    for (int i = 0; i < n; i++) {
        struct board_header_pin *hp = &b->header_pins[i];
        yaml_node_t *k = by_map_key(c, h, i);
        by_path_key(p, "wiring.header", by_text(k));
        if (by_str(c, k, p, hp->label, sizeof hp->label) ||
            read_pin(c, by_map_value(c, h, i), p, b, w, &hp->pin))
            return -1;
        b->nheader_pins = i + 1;
    }
    return 0;
}

int board_parse_wiring(struct byctx *c, yaml_node_t *root, struct board *b)
{
    struct wired w;
    yaml_node_t *wm = by_get(c, root, "wiring");
    memset(&w, 0, sizeof w);
    if (!wm)
        return 0;
    if (by_check_map(c, wm, "wiring", wiring_keys,
                     "a mapping (leds, buttons, console, header)") ||
        parse_list(c, wm, "leds", BOARD_MAX_LEDS, parse_led, b, &w, &b->nleds) ||
        parse_list(c, wm, "buttons", BOARD_MAX_BUTTONS, parse_button, b, &w,
                   &b->nbuttons) ||
        parse_console(c, wm, b))
        return -1;
    return parse_header(c, wm, b, &w);
}

/* ---- view ----------------------------------------------------------------- */

static const char *const view_keys[] = { "width", "height", "color", "parts", NULL };
static const char *const part_keys[] = {
    "kind", "ref", "label", "x", "y", "w", "h", "color", NULL,
};
/* Same order as enum board_view_kind. */
static const char *const part_kinds[] = { "chip", "led", "button", "pin", "label", NULL };

#define VIEW_DEFAULT_COLOR 0x1B3A6Bu

static uint32_t default_part_color(const struct board *b, const struct board_view_part *vp)
{
    switch (vp->kind) {
    case BOARD_VIEW_CHIP: return 0x202020;
    case BOARD_VIEW_BUTTON: return 0xC8C8C8;
    case BOARD_VIEW_PIN: return 0xD4AF37;
    case BOARD_VIEW_LABEL: return 0xFFFFFF;
    case BOARD_VIEW_LED:
        for (int i = 0; i < b->nleds; i++)
            if (strcmp(b->leds[i].name, vp->ref) == 0)
                return b->leds[i].color_rgb;
        break;
    }
    return 0xFFFFFF;
}

static bool ref_exists(const struct board *b, enum board_view_kind kind, const char *ref)
{
    if (kind == BOARD_VIEW_BUTTON && strcmp(ref, "reset") == 0)
        return true;
    int n = kind == BOARD_VIEW_LED ? b->nleds
          : kind == BOARD_VIEW_BUTTON ? b->nbuttons : b->nheader_pins;
    for (int i = 0; i < n; i++) {
        const char *name = kind == BOARD_VIEW_LED ? b->leds[i].name
                         : kind == BOARD_VIEW_BUTTON ? b->buttons[i].name
                         : b->header_pins[i].label;
        if (strcmp(name, ref) == 0)
            return true;
    }
    return false;
}

static int part_ref(struct byctx *c, yaml_node_t *n, const char *path,
                    const struct board *b, struct board_view_part *vp)
{
    static const char *const wants[] = {
        "", "the name of an LED in wiring.leds",
        "the name of a button in wiring.buttons, or reset",
        "a header pin label in wiring.header", "",
    };
    char p[BY_PATH_LEN];
    yaml_node_t *v = by_get(c, n, "ref");
    by_path_key(p, path, "ref");
    if (vp->kind == BOARD_VIEW_CHIP || vp->kind == BOARD_VIEW_LABEL) {
        if (v)
            return by_fail(c, v, p, "a %s part has no ref; expected ref only on "
                           "led, button and pin parts", part_kinds[vp->kind]);
        return 0;
    }
    if (by_req(c, n, path, "ref", wants[vp->kind], &v) ||
        by_str(c, v, p, vp->ref, sizeof vp->ref))
        return -1;
    if (!ref_exists(b, vp->kind, vp->ref))
        return by_fail(c, v, p, "'%s' does not exist; expected %s", vp->ref,
                       wants[vp->kind]);
    return 0;
}

static int part_label(struct byctx *c, yaml_node_t *n, const char *path,
                      struct board_view_part *vp)
{
    char p[BY_PATH_LEN];
    yaml_node_t *v = by_get(c, n, "label");
    bool needed = vp->kind == BOARD_VIEW_CHIP || vp->kind == BOARD_VIEW_LABEL;
    by_path_key(p, path, "label");
    if (!v && needed)
        return by_fail(c, n, p, "missing; expected a label for a %s part",
                       part_kinds[vp->kind]);
    return v ? by_str(c, v, p, vp->label, sizeof vp->label) : 0;
}

/* x, y, w, h: the part must lie inside the view. */
static int part_geometry(struct byctx *c, yaml_node_t *n, const char *path,
                         const struct board_view *view, struct board_view_part *vp)
{
    char p[BY_PATH_LEN];
    if (by_req_int(c, n, path, "x", 0, view->width - 1, &vp->x) ||
        by_req_int(c, n, path, "y", 0, view->height - 1, &vp->y) ||
        by_req_int(c, n, path, "w", 1, view->width, &vp->w) ||
        by_req_int(c, n, path, "h", 1, view->height, &vp->h))
        return -1;
    if (vp->x + vp->w > view->width) {
        by_path_key(p, path, "w");
        return by_fail(c, by_get(c, n, "w"), p, "x + w = %d is past the right edge; "
                       "expected x + w <= view.width (%d)", vp->x + vp->w, view->width);
    }
    if (vp->y + vp->h > view->height) {
        by_path_key(p, path, "h");
        return by_fail(c, by_get(c, n, "h"), p, "y + h = %d is past the bottom edge; "
                       "expected y + h <= view.height (%d)", vp->y + vp->h, view->height);
    }
    return 0;
}

static int parse_part(struct byctx *c, yaml_node_t *n, const char *path,
                      struct board *b, int i)
{
    struct board_view_part *vp = &b->view.parts[i];
    char p[BY_PATH_LEN];
    yaml_node_t *v;
    int kind = 0;
    by_path_key(p, path, "kind");
    if (by_check_map(c, n, path, part_keys,
                     "a mapping (kind, ref, label, x, y, w, h, color)") ||
        by_req(c, n, path, "kind", "one of: chip, led, button, pin, label", &v) ||
        by_enum(c, v, p, part_kinds, &kind))
        return -1;
    vp->kind = (enum board_view_kind)kind;
    if (part_ref(c, n, path, b, vp) || part_label(c, n, path, vp) ||
        part_geometry(c, n, path, &b->view, vp))
        return -1;
    vp->color_rgb = default_part_color(b, vp);
    return by_opt_color(c, n, path, "color", &vp->color_rgb);
}

int board_parse_view(struct byctx *c, yaml_node_t *root, struct board *b)
{
    const char *what = "a mapping (width, height, color, parts)";
    struct board_view *view = &b->view;
    char p[BY_PATH_LEN];
    int count = 0;
    yaml_node_t *vm = by_get(c, root, "view"), *s;
    if (!vm)
        return 0;
    view->color_rgb = VIEW_DEFAULT_COLOR;
    if (by_check_map(c, vm, "view", view_keys, what) ||
        by_req_int(c, vm, "view", "width", 16, 4096, &view->width) ||
        by_req_int(c, vm, "view", "height", 16, 4096, &view->height) ||
        by_opt_color(c, vm, "view", "color", &view->color_rgb) ||
        by_req(c, vm, "view", "parts", "a list of parts", &s) ||
        by_check_seq(c, s, "view.parts", BOARD_MAX_VIEW_PARTS, "a list of parts", &count))
        return -1;
    for (int i = 0; i < count; i++) {
        by_path_idx(p, "view.parts", i);
        if (parse_part(c, by_seq_item(c, s, i), p, b, i))
            return -1;
        view->nparts = i + 1;
    }
    return 0;
}
