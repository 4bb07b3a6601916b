/* tcp_echo.c: serves one connection on the socket the host pre-opened with
 * `--tcplisten HOST:PORT` (WASI gives it the first descriptor after stdio, 3).
 * Accepts a connection, reads one line, answers "echo: LINE\n", closes it.
 * Prints a short transcript; exits 0, or 1 on an error. A socket that would
 * block is retried after 10 ms (for at most about a minute). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wasi/api.h>

#include "common.h"

static void pause_10ms(void) {
    struct timespec t = {0, 10 * 1000 * 1000};
    nanosleep(&t, NULL);
}

int main(void) {
    __wasi_fd_t listener = 3, conn;
    __wasi_fdstat_t st;
    __wasi_errno_t err = __wasi_fd_fdstat_get(listener, &st);
    printf("fd 3 is a stream socket: %s\n",
           err ? errno_name(err) : st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM ? "yes" : "no");

    int tries = 0;
    while ((err = __wasi_sock_accept(listener, 0, &conn)) == __WASI_ERRNO_AGAIN && tries++ < 6000)
        pause_10ms();
    printf("accept: %s\n", errno_name(err));
    if (err)
        return 1;

    char line[256];
    size_t len = 0;
    tries = 0;
    while (len < sizeof line - 1 && (len == 0 || line[len - 1] != '\n')) {
        __wasi_iovec_t iov = {(uint8_t *)line + len, sizeof line - 1 - len};
        __wasi_size_t n;
        __wasi_riflags_t flags;
        err = __wasi_sock_recv(conn, &iov, 1, 0, &n, &flags);
        if (err == __WASI_ERRNO_AGAIN && tries++ < 6000) {
            pause_10ms();
            continue;
        }
        if (err || n == 0)
            break;
        len += n;
    }
    line[len] = 0;
    printf("received %zu bytes: %s", len, errno_name(err));
    printf("\n");
    if (err)
        return 1;

    char reply[300];
    int rlen = snprintf(reply, sizeof reply, "echo: %s", line);
    for (size_t done = 0; done < (size_t)rlen;) {
        __wasi_ciovec_t iov = {(const uint8_t *)reply + done, (size_t)rlen - done};
        __wasi_size_t n;
        err = __wasi_sock_send(conn, &iov, 1, 0, &n);
        if (err == __WASI_ERRNO_AGAIN) {
            pause_10ms();
            continue;
        }
        if (err)
            break;
        done += n;
    }
    printf("send: %s\n", errno_name(err));
    printf("close: %s\n", errno_name(__wasi_fd_close(conn)));
    return err ? 1 : 0;
}
