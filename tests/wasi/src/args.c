/* args.c: prints argc, the base name of argv[0] and every other argument,
 * bracketed so that empty arguments and spaces show. Exits 0. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    if (argc > 0) {
        const char *slash = strrchr(argv[0], '/');
        printf("argv0 base=[%s]\n", slash ? slash + 1 : argv[0]);
    }
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    return 0;
}
