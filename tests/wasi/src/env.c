/* env.c: with no arguments prints the whole environment, sorted, one
 * "KEY=VALUE" per line, then its size; with arguments prints each named
 * variable as "KEY=VALUE" or "KEY unset". Exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int by_string(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            const char *v = getenv(argv[i]);
            if (v)
                printf("%s=%s\n", argv[i], v);
            else
                printf("%s unset\n", argv[i]);
        }
        return 0;
    }
    size_t n = 0;
    while (environ && environ[n])
        n++;
    char **sorted = malloc((n + 1) * sizeof *sorted);
    memcpy(sorted, environ, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by_string);
    for (size_t i = 0; i < n; i++)
        printf("%s\n", sorted[i]);
    printf("%zu variables\n", n);
    free(sorted);
    return 0;
}
