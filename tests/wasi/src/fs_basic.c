/* fs_basic.c: file-system basics inside a granted directory.
 *
 * `fs_basic.wasm [DIR]` changes to DIR (default ".", the directory granted as
 * "."), then creates, writes, reads, appends, seeks, preads/pwrites,
 * truncates, stats, makes and lists directories (one of them too big for a
 * single fd_readdir), renames, unlinks and removes them, printing a
 * transcript. It leaves behind, for the host to check:
 *   kept.txt           "kept\n" with mtime 1000000000 s
 *   keptdir/inner.txt  "inner\n"
 * Exits 0, or 1 if any step went wrong (its line says FAIL). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int failures;

/* Prints "what: got" and whether it matches `want`. */
static void expect_str(const char *what, const char *got, const char *want) {
    int ok = strcmp(got, want) == 0;
    printf("%s: \"%s\"%s\n", what, got, ok ? "" : " FAIL");
    if (!ok)
        failures++;
}

static void expect_num(const char *what, long long got, long long want) {
    printf("%s: %lld%s\n", what, got, got == want ? "" : " FAIL");
    if (got != want)
        failures++;
}

/* Prints the outcome of a call that should succeed (want == "OK") or fail with an errno. */
static void expect_outcome(const char *what, int ok, const char *want) {
    const char *got = outcome(ok);
    printf("%s: %s%s\n", what, got, strcmp(got, want) == 0 ? "" : " FAIL");
    if (strcmp(got, want) != 0)
        failures++;
}

static long long size_of(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static void write_file(const char *path, const char *text) {
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    ssize_t n = fd >= 0 ? write(fd, text, strlen(text)) : -1;
    expect_outcome(path, fd >= 0 && n == (ssize_t)strlen(text), "OK");
    if (fd >= 0)
        close(fd);
}

static int by_string(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Lists a directory without "." and "..", sorted, on one line. */
static void list_dir(const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        printf("ls %s: %s FAIL\n", path, errno_name(errno));
        failures++;
        return;
    }
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_string);
    printf("ls %s:", path);
    for (size_t i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

/* Makes MANY files with long names in "many/", lists them with readdir (which
 * takes several fd_readdir calls: the listing is far larger than libc's
 * buffer), again after rewinddir, then removes them all. */
#define MANY 300
static void many_entries(void) {
    expect_outcome("mkdir many", mkdir("many", 0755) == 0, "OK");
    char path[128];
    int made = 0;
    for (int i = 0; i < MANY; i++) {
        snprintf(path, sizeof path, "many/entry-%03d-with-a-rather-long-name-to-fill-the-buffer", i);
        int fd = open(path, O_CREAT | O_WRONLY, 0644);
        if (fd >= 0 && close(fd) == 0)
            made++;
    }
    expect_num("files made in many", made, MANY);
    DIR *d = opendir("many");
    for (int pass = 0; pass < 2 && d; pass++) {
        static char seen[MANY];
        memset(seen, 0, sizeof seen);
        int entries = 0, distinct = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            int i;
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            entries++;
            if (sscanf(e->d_name, "entry-%d-", &i) == 1 && i >= 0 && i < MANY && !seen[i]++)
                distinct++;
        }
        printf("readdir many, pass %d:", pass + 1);
        expect_num(" entries", entries, MANY);
        expect_num("distinct", distinct, MANY);
        rewinddir(d);
    }
    if (d)
        closedir(d);
    int removed = 0;
    for (int i = 0; i < MANY; i++) {
        snprintf(path, sizeof path, "many/entry-%03d-with-a-rather-long-name-to-fill-the-buffer", i);
        removed += unlink(path) == 0;
    }
    expect_num("files removed from many", removed, MANY);
    expect_outcome("rmdir many", rmdir("many") == 0, "OK");
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    expect_outcome("chdir", chdir(dir) == 0, "OK");

    char buf[128];
    ssize_t n;

    /* create, write, tell, read, pread, pwrite */
    int fd = open("a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    expect_outcome("open a.txt O_CREAT|O_RDWR", fd >= 0, "OK");
    expect_num("write", write(fd, "hello world\n", 12), 12);
    expect_num("tell after write", lseek(fd, 0, SEEK_CUR), 12);
    expect_num("seek set 0", lseek(fd, 0, SEEK_SET), 0);
    n = read(fd, buf, 5);
    buf[n < 0 ? 0 : n] = 0;
    expect_str("read 5", buf, "hello");
    expect_num("tell after read", lseek(fd, 0, SEEK_CUR), 5);
    n = pread(fd, buf, 5, 6);
    buf[n < 0 ? 0 : n] = 0;
    expect_str("pread 5 at 6", buf, "world");
    expect_num("pwrite 5 at 6", pwrite(fd, "WORLD", 5, 6), 5);
    expect_num("tell after pread/pwrite", lseek(fd, 0, SEEK_CUR), 5);
    expect_num("seek cur +1", lseek(fd, 1, SEEK_CUR), 6);
    n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    expect_str("read rest", buf, "WORLD\n");
    expect_num("read at eof", read(fd, buf, sizeof buf), 0);
    expect_outcome("seek to -1", lseek(fd, -1, SEEK_SET) >= 0, "EINVAL");
    expect_outcome("close", close(fd) == 0, "OK");

    /* append */
    fd = open("a.txt", O_WRONLY | O_APPEND);
    expect_outcome("open a.txt O_APPEND", fd >= 0, "OK");
    lseek(fd, 0, SEEK_SET);
    expect_num("append write", write(fd, "more\n", 5), 5);
    expect_num("size after append", size_of("a.txt"), 17);
    close(fd);
    fd = open("a.txt", O_RDONLY);
    n = read(fd, buf, sizeof buf - 1);
    buf[n < 0 ? 0 : n] = 0;
    expect_str("contents", buf, "hello WORLD\nmore\n");
    expect_outcome("write to O_RDONLY fd", write(fd, "x", 1) == 1, "EBADF");
    close(fd);

    /* ftruncate, stat sizes, seek end */
    fd = open("a.txt", O_RDWR);
    expect_outcome("ftruncate 5", ftruncate(fd, 5) == 0, "OK");
    expect_num("size", size_of("a.txt"), 5);
    expect_outcome("ftruncate 100", ftruncate(fd, 100) == 0, "OK");
    struct stat st;
    expect_outcome("fstat", fstat(fd, &st) == 0, "OK");
    expect_num("fstat size", st.st_size, 100);
    expect_num("fstat is regular", S_ISREG(st.st_mode), 1);
    expect_num("pread past old end", pread(fd, buf, 1, 50), 1);
    expect_num("byte 50 is zero", buf[0], 0);
    expect_num("seek end -1", lseek(fd, -1, SEEK_END), 99);
    close(fd);

    /* directories */
    expect_outcome("mkdir dir", mkdir("dir", 0755) == 0, "OK");
    expect_outcome("mkdir dir again", mkdir("dir", 0755) == 0, "EEXIST");
    expect_outcome("stat dir", stat("dir", &st) == 0, "OK");
    expect_num("dir is a directory", S_ISDIR(st.st_mode), 1);
    write_file("dir/c.txt", "c");
    write_file("dir/a.txt", "aa");
    write_file("dir/b.txt", "bbb");
    list_dir("dir");
    expect_num("size dir/b.txt", size_of("dir/b.txt"), 3);
    expect_outcome("open dir for writing", open("dir", O_WRONLY) >= 0, "EISDIR");
    expect_outcome("open missing", open("missing.txt", O_RDONLY) >= 0, "ENOENT");
    expect_outcome("O_CREAT|O_EXCL on existing", open("dir/a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644) >= 0,
                   "EEXIST");
    expect_outcome("file as directory", open("a.txt/x", O_RDONLY) >= 0, "ENOTDIR");

    /* rename, unlink, rmdir */
    expect_outcome("rename a.txt dir/moved.txt", rename("a.txt", "dir/moved.txt") == 0, "OK");
    expect_outcome("stat a.txt", stat("a.txt", &st) == 0, "ENOENT");
    expect_num("size dir/moved.txt", size_of("dir/moved.txt"), 100);
    list_dir("dir");
    expect_outcome("rmdir non-empty dir", rmdir("dir") == 0, "ENOTEMPTY");
    expect_outcome("unlink a directory", unlink("dir") == 0, "EISDIR");
    expect_outcome("rmdir a file", rmdir("dir/a.txt") == 0, "ENOTDIR");
    const char *names[] = {"dir/a.txt", "dir/b.txt", "dir/c.txt", "dir/moved.txt"};
    for (int i = 0; i < 4; i++) {
        char what[64];
        snprintf(what, sizeof what, "unlink %s", names[i]);
        expect_outcome(what, unlink(names[i]) == 0, "OK");
    }
    expect_outcome("unlink again", unlink("dir/a.txt") == 0, "ENOENT");
    list_dir("dir");
    expect_outcome("rmdir dir", rmdir("dir") == 0, "OK");
    expect_outcome("stat dir", stat("dir", &st) == 0, "ENOENT");

    many_entries();

    /* what stays for the host to check */
    write_file("kept.txt", "kept\n");
    struct timespec times[2] = {{1000000000, 0}, {1000000000, 0}};
    expect_outcome("utimensat kept.txt", utimensat(AT_FDCWD, "kept.txt", times, 0) == 0, "OK");
    expect_outcome("stat kept.txt", stat("kept.txt", &st) == 0, "OK");
    expect_num("mtime kept.txt", (long long)st.st_mtim.tv_sec, 1000000000);
    expect_outcome("mkdir keptdir", mkdir("keptdir", 0755) == 0, "OK");
    write_file("keptdir/inner.txt", "inner\n");
    list_dir(".");

    printf("%s\n", failures ? "FAILED" : "done");
    return failures ? 1 : 0;
}
