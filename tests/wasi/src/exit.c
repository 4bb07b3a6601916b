/* exit.c: `exit.wasm N` prints "exiting with N" and calls exit(N)
 * (proc_exit); without an argument it returns 0 from main. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        puts("no status given");
        return 0;
    }
    int status = atoi(argv[1]);
    printf("exiting with %d\n", status);
    exit(status);
}
