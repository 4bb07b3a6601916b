/* clock_random.c: checks the clocks and the random source.
 * - CLOCK_MONOTONIC never goes backwards over many reads, and advances;
 * - CLOCK_REALTIME is after 2020-01-01; clock_getres is positive;
 * - getentropy fills buffers that are not all zeros and differ call to call.
 * Prints "ok" lines; exits 0, or 1 with a "FAIL" line. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what) {
    printf("%s %s\n", ok ? "ok" : "FAIL", what);
    if (!ok)
        failures++;
}

static long long ns(struct timespec t) { return (long long)t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
    struct timespec first, prev, now, res;
    int monotonic = clock_gettime(CLOCK_MONOTONIC, &first) == 0;
    prev = first;
    for (int i = 0; monotonic && i < 10000; i++) {
        if (clock_gettime(CLOCK_MONOTONIC, &now) != 0 || ns(now) < ns(prev))
            monotonic = 0;
        prev = now;
    }
    check(monotonic, "monotonic clock never goes backwards");
    /* Spin until the clock moves (bounded), so "advances" is not timing-sensitive. */
    int advanced = 0;
    for (int i = 0; i < 100000000 && !advanced; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        advanced = ns(now) > ns(first);
    }
    check(advanced, "monotonic clock advances");

    struct timespec wall;
    check(clock_gettime(CLOCK_REALTIME, &wall) == 0 && wall.tv_sec > 1577836800,
          "realtime clock is after 2020");
    check(clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns(res) > 0, "monotonic resolution is positive");

    unsigned char a[64], b[64], zero[64] = {0};
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    int got = getentropy(a, sizeof a) == 0 && getentropy(b, sizeof b) == 0;
    check(got, "getentropy succeeds");
    check(memcmp(a, zero, sizeof a) != 0 && memcmp(b, zero, sizeof b) != 0, "entropy is not all zeros");
    check(memcmp(a, b, sizeof a) != 0, "two draws differ");
    return failures ? 1 : 0;
}
