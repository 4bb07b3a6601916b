/* poll_sleep.c: sleeping and poll_oneoff.
 * - nanosleep(10 ms) returns 0 and takes at least 10 ms of monotonic time;
 * - poll() with no descriptors and a 20 ms timeout returns 0 after >= 20 ms;
 * - poll() on stdout for POLLOUT with a long timeout reports it writable.
 * Prints "ok" lines; exits 0, or 1 with a "FAIL" line. Only lower bounds on
 * elapsed time are checked (a sleep must not end early). */
#include <poll.h>
#include <stdio.h>
#include <time.h>

static int failures;

static void check(int ok, const char *what) {
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        failures++;
}

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
    long long t0 = now_ns();
    struct timespec ten_ms = {0, 10 * 1000 * 1000};
    int r = nanosleep(&ten_ms, NULL);
    check(r == 0 && now_ns() - t0 >= 10 * 1000 * 1000LL, "nanosleep 10 ms");

    t0 = now_ns();
    r = poll(NULL, 0, 20);
    check(r == 0 && now_ns() - t0 >= 20 * 1000 * 1000LL, "poll with no fds times out after 20 ms");

    fflush(stdout);
    struct pollfd out = {.fd = 1, .events = POLLOUT};
    r = poll(&out, 1, 10000);
    check(r == 1 && (out.revents & POLLOUT), "stdout is writable");
    return failures ? 1 : 0;
}
