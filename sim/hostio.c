/*
 * hostio.c — the console UART on a PTY and/or a TCP port (see hostio.h).
 *
 * The PTY: posix_openpt() in non-blocking mode; hailsim keeps one handle
 * on the slave side open itself (in raw mode), so the master never reports
 * a hang-up between clients (screen, minicom, picocom may come and go).
 * The TCP server listens on 127.0.0.1 only; a second client is told that
 * the console is busy and disconnected.  The output tee uses glibc's
 * fopencookie() so board_io keeps writing to a plain FILE *.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "board_io.h"
#include "hostio.h"
#include "machine.h"

struct hostio {
    struct machine *m;
    FILE *prev_console;         /* m->console before us (the terminal), may be NULL */
    FILE *tee;                  /* what m->console is while we exist */
    int pty_master, pty_slave;  /* -1 when unused */
    char pty_path[64];
    int listen_fd, client_fd;   /* -1 when unused */
    int port;
};

static void set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* ---- output: the tee stream ------------------------------------------------------ */

static void drop_client(struct hostio *h)
{
    if (h->client_fd >= 0) {
        close(h->client_fd);
        h->client_fd = -1;
        fprintf(stderr, "hailsim: console client on tcp port %d disconnected\n", h->port);
    }
}

static ssize_t tee_write(void *cookie, const char *buf, size_t len)
{
    struct hostio *h = cookie;
    if (h->prev_console)
        fwrite(buf, 1, len, h->prev_console);
    if (h->pty_master >= 0 && write(h->pty_master, buf, len) < 0) {
        /* EAGAIN: nobody reads the PTY and its buffer is full: drop */
    }
    if (h->client_fd >= 0 && send(h->client_fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
        errno != EAGAIN && errno != EWOULDBLOCK)
        drop_client(h);
    return (ssize_t)len;
}

static int tee_close(void *cookie)
{
    struct hostio *h = cookie;
    if (h->prev_console)
        fflush(h->prev_console);
    return 0;
}

static int open_tee(struct hostio *h, char *err, size_t errlen)
{
    cookie_io_functions_t fns = { .write = tee_write, .close = tee_close };
    h->tee = fopencookie(h, "w", fns);
    if (!h->tee) {
        snprintf(err, errlen, "cannot create the console stream: %s", strerror(errno));
        return -1;
    }
    setvbuf(h->tee, NULL, _IONBF, 0);
    h->prev_console = h->m->console;
    h->m->console = h->tee;
    return 0;
}

/* ---- the PTY ------------------------------------------------------------------------- */

static int open_pty(struct hostio *h, char *err, size_t errlen)
{
    int fd = posix_openpt(O_RDWR | O_NOCTTY);
    const char *name = fd >= 0 && grantpt(fd) == 0 && unlockpt(fd) == 0 ? ptsname(fd) : NULL;
    if (!name) {
        snprintf(err, errlen, "--uart-pty: cannot create a pseudo-terminal: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    snprintf(h->pty_path, sizeof h->pty_path, "%s", name);
    h->pty_master = fd;
    h->pty_slave = open(h->pty_path, O_RDWR | O_NOCTTY);
    struct termios t;
    if (h->pty_slave >= 0 && tcgetattr(h->pty_slave, &t) == 0) {
        cfmakeraw(&t);                          /* bytes pass unchanged both ways */
        tcsetattr(h->pty_slave, TCSANOW, &t);
    }
    set_nonblock(fd);
    fprintf(stderr, "hailsim: console UART on %s\n", h->pty_path);
    return 0;
}

/* ---- TCP ------------------------------------------------------------------------------- */

static int open_tcp(struct hostio *h, int port, char *err, size_t errlen)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1) != 0) {
        snprintf(err, errlen, "--uart-tcp: cannot listen on 127.0.0.1:%d: %s", port, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    set_nonblock(fd);
    h->listen_fd = fd;
    h->port = port;
    fprintf(stderr, "hailsim: console UART on tcp 127.0.0.1:%d\n", port);
    return 0;
}

static void accept_clients(struct hostio *h)
{
    int fd;
    while ((fd = accept(h->listen_fd, NULL, NULL)) >= 0) {
        if (h->client_fd >= 0) {
            static const char busy[] = "hailsim: the console already has a client\r\n";
            if (send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
                /* it is going away anyway */
            }
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        set_nonblock(fd);
        h->client_fd = fd;
        fprintf(stderr, "hailsim: console client on tcp port %d connected\n", h->port);
    }
}

/* ---- life cycle and polling ------------------------------------------------------------- */

struct hostio *hostio_open(struct machine *m, bool pty, int tcp_port, char *err, size_t errlen)
{
    if (!board_io_console(m)) {
        snprintf(err, errlen, "%s: the board has no console UART (wiring.console)",
                 pty ? "--uart-pty" : "--uart-tcp");
        return NULL;
    }
    struct hostio *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *h = (struct hostio){ .m = m, .pty_master = -1, .pty_slave = -1, .listen_fd = -1, .client_fd = -1 };
    if ((pty && open_pty(h, err, errlen) != 0) || (tcp_port && open_tcp(h, tcp_port, err, errlen) != 0) ||
        open_tee(h, err, errlen) != 0) {
        hostio_close(h);
        return NULL;
    }
    return h;
}

void hostio_close(struct hostio *h)
{
    if (!h)
        return;
    if (h->tee) {
        h->m->console = h->prev_console;
        fclose(h->tee);
    }
    int fds[] = { h->pty_master, h->pty_slave, h->listen_fd, h->client_fd };
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(h);
}

int hostio_pollfds(const struct hostio *h, struct pollfd *fds, int max)
{
    int n = 0, cand[] = { h ? h->pty_master : -1, h ? h->listen_fd : -1, h ? h->client_fd : -1 };
    for (size_t i = 0; i < sizeof cand / sizeof cand[0] && n < max; i++)
        if (cand[i] >= 0)
            fds[n++] = (struct pollfd){ .fd = cand[i], .events = POLLIN };
    return n;
}

/* Reads up to `budget` bytes from fd into the console UART; -1 when the peer is gone. */
static int pump(struct hostio *h, int fd, int budget)
{
    uint8_t buf[256];
    size_t want = (size_t)budget < sizeof buf ? (size_t)budget : sizeof buf;
    ssize_t n = want ? read(fd, buf, want) : 0;
    if (n == 0 && want)
        return fd == h->client_fd ? -1 : 0;     /* TCP: closed; PTY: nothing */
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EIO ? 0 : -1;
    for (ssize_t i = 0; i < n; i++)
        board_io_uart_rx(h->m, board_io_console(h->m), buf[i]);
    return (int)n;
}

int hostio_poll(struct hostio *h, int budget)
{
    if (!h)
        return 0;
    int used = 0;
    if (h->listen_fd >= 0)
        accept_clients(h);
    if (h->pty_master >= 0) {
        int n = pump(h, h->pty_master, budget);
        used += n > 0 ? n : 0;
    }
    if (h->client_fd >= 0) {
        int n = pump(h, h->client_fd, budget - used);
        if (n < 0)
            drop_client(h);
        else
            used += n;
    }
    return used;
}

const char *hostio_pty_path(const struct hostio *h)
{
    return h && h->pty_master >= 0 ? h->pty_path : NULL;
}
