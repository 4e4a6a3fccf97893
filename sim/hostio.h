/*
 * hostio.h — the console UART bridged to the host: `--uart-pty` (a new
 * pseudo-terminal, its path printed on stderr) and `--uart-tcp PORT` (a
 * server on 127.0.0.1:PORT, one client at a time).
 *
 * Output: hostio replaces m->console (where board_io writes the console
 * UART's bytes) with an unbuffered stream that copies every byte to the
 * previous m->console (the terminal) and to the PTY / the TCP client.
 * Input: hostio_poll() reads what arrived and hands it to the console UART
 * through board_io_uart_rx(); it is called from the host loop's periodic
 * timer (termview.c) and never blocks.  Bytes nobody reads are dropped.
 */
#ifndef HAILSIM_HOSTIO_H
#define HAILSIM_HOSTIO_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

struct machine;
struct hostio;

/* tcp_port 0: no TCP server.  Returns NULL + message on failure. */
struct hostio *hostio_open(struct machine *m, bool pty, int tcp_port, char *err, size_t errlen);
/* Restores m->console, closes everything. */
void hostio_close(struct hostio *h);
/* The descriptors to wait on for input (POLLIN); returns how many were put in fds. */
int hostio_pollfds(const struct hostio *h, struct pollfd *fds, int max);
/* Accepts/ends TCP clients; passes at most `budget` received bytes to the
 * console UART.  Returns the number of bytes passed. */
int hostio_poll(struct hostio *h, int budget);
/* The PTY's path ("/dev/pts/N"), or NULL. */
const char *hostio_pty_path(const struct hostio *h);

#endif
