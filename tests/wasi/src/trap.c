/* trap.c: prints a line, flushes, then executes `unreachable` two calls
 * deep (so a backtrace names trap_here and main). */
#include <stdio.h>

__attribute__((noinline)) static void trap_here(void) { __builtin_trap(); }

__attribute__((noinline)) static void go_deeper(int depth) {
    if (depth == 0)
        trap_here();
    else
        go_deeper(depth - 1);
    __asm__ volatile("" ::: "memory"); /* keep the calls from becoming tail calls */
}

int main(void) {
    puts("about to trap");
    fflush(stdout);
    go_deeper(1);
    puts("not reached");
    return 0;
}
