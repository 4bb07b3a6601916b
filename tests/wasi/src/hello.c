/* hello.c: the smallest WASI command. Prints one line, exits 0. */
#include <stdio.h>

int main(void) {
    puts("Hello, world!");
    return 0;
}
