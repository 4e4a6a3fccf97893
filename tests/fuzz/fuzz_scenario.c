/*
 * fuzz_scenario.c — libFuzzer target: the scenario loader (sim/scenario.c,
 * scenario_load_string), and on accepted scenarios scenario_check_board()
 * against boards/hail.yaml (run from the repository root; it also looks
 * for the named kernel and app files, which is harmless).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct board *board;
    static int have_board = -1;
    char err[1024];
    if (have_board < 0) {
        board = calloc(1, sizeof *board);
        have_board = board && board_load("boards/hail.yaml", board, err, sizeof err) == 0;
    }
    struct scenario *s = malloc(sizeof *s);
    char *text = malloc(size ? size : 1);
    if (!s || !text) {
        free(s);
        free(text);
        return 0;
    }
    memcpy(text, data, size);
    err[0] = '\0';
    if (scenario_load_string("fuzz.yaml", text, size, s, err, sizeof err) == 0) {
        if (s->napps < 0 || s->napps > SCN_MAX_APPS || s->ninputs < 0 || s->ninputs > SCN_MAX_INPUTS ||
            s->nexpects < 0 || s->nexpects > SCN_MAX_EXPECTS)
            abort();
        if (have_board == 1)
            (void)scenario_check_board(s, board, err, sizeof err);
    } else if (err[0] == '\0' || memchr(err, '\0', sizeof err) == NULL) {
        abort();                                /* every rejection says why */
    }
    free(text);
    free(s);
    return 0;
}
