/* stdin_echo.c: copies stdin to stdout byte for byte with read/write on
 * fds 0 and 1 (no stdio buffering), then prints the byte count on stderr.
 * Exits 0, or 1 on an I/O error. */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    static char buf[4096];
    unsigned long long total = 0;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n < 0) {
            perror("read");
            return 1;
        }
        if (n == 0)
            break;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(1, buf + done, (size_t)(n - done));
            if (w <= 0) {
                perror("write");
                return 1;
            }
            done += w;
        }
        total += (unsigned long long)n;
    }
    fprintf(stderr, "%llu bytes\n", total);
    return 0;
}
