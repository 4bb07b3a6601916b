/* fs_symlink.c: symbolic links that stay inside the sandbox work.
 *
 * `fs_symlink.wasm [DIR]` changes to DIR (default "."), then creates a file
 * and a subdirectory and links to them with relative targets (including one
 * that climbs with ".." but stays inside), reads them back, opens through
 * them, and checks lstat/stat, O_NOFOLLOW and a dangling link. Leaves
 * target.txt, sub/ and the links link.txt -> target.txt and sub/up.txt ->
 * ../target.txt for the host to check. Exits 0, or 1 if any step failed. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static int failures;

static void expect_outcome(const char *what, int ok, const char *want) {
    const char *got = outcome(ok);
    int good = strcmp(got, want) == 0;
    printf("%s: %s%s\n", what, got, good ? "" : " FAIL");
    if (!good)
        failures++;
}

static void expect_str(const char *what, const char *got, const char *want) {
    int ok = strcmp(got, want) == 0;
    printf("%s: \"%s\"%s\n", what, got, ok ? "" : " FAIL");
    if (!ok)
        failures++;
}

static void expect_readlink(const char *link, const char *want) {
    char buf[256];
    ssize_t n = readlink(link, buf, sizeof buf - 1);
    if (n < 0) {
        printf("readlink %s: %s FAIL\n", link, errno_name(errno));
        failures++;
        return;
    }
    buf[n] = 0;
    char what[300];
    snprintf(what, sizeof what, "readlink %s", link);
    expect_str(what, buf, want);
}

/* Reads the whole file at `path` (following links) into buf. */
static const char *slurp(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(buf, cap, "<%s>", errno_name(errno));
        return buf;
    }
    ssize_t n = read(fd, buf, cap - 1);
    buf[n < 0 ? 0 : n] = 0;
    close(fd);
    return buf;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    expect_outcome("chdir", chdir(dir) == 0, "OK");
    char buf[256];

    int fd = open("target.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    expect_outcome("create target.txt", fd >= 0 && write(fd, "target\n", 7) == 7, "OK");
    close(fd);
    expect_outcome("mkdir sub", mkdir("sub", 0755) == 0, "OK");
    fd = open("sub/inner.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    expect_outcome("create sub/inner.txt", fd >= 0 && write(fd, "inner\n", 6) == 6, "OK");
    close(fd);

    expect_outcome("symlink link.txt -> target.txt", symlink("target.txt", "link.txt") == 0, "OK");
    expect_outcome("symlink sub/up.txt -> ../target.txt", symlink("../target.txt", "sub/up.txt") == 0, "OK");
    expect_outcome("symlink dirlink -> sub", symlink("sub", "dirlink") == 0, "OK");
    expect_outcome("symlink dangling -> nowhere.txt", symlink("nowhere.txt", "dangling") == 0, "OK");
    expect_outcome("symlink over an existing name", symlink("target.txt", "link.txt") == 0, "EEXIST");

    expect_readlink("link.txt", "target.txt");
    expect_readlink("sub/up.txt", "../target.txt");
    expect_readlink("dirlink", "sub");
    expect_outcome("readlink of a regular file", readlink("target.txt", buf, sizeof buf) >= 0, "EINVAL");

    expect_str("read link.txt", slurp("link.txt", buf, sizeof buf), "target\n");
    expect_str("read sub/up.txt", slurp("sub/up.txt", buf, sizeof buf), "target\n");
    expect_str("read dirlink/inner.txt", slurp("dirlink/inner.txt", buf, sizeof buf), "inner\n");
    expect_str("read dirlink/up.txt", slurp("dirlink/up.txt", buf, sizeof buf), "target\n");
    expect_str("read dangling", slurp("dangling", buf, sizeof buf), "<ENOENT>");

    struct stat st;
    expect_outcome("lstat link.txt", lstat("link.txt", &st) == 0, "OK");
    printf("lstat link.txt is a link: %d\n", S_ISLNK(st.st_mode));
    expect_outcome("stat link.txt", stat("link.txt", &st) == 0, "OK");
    printf("stat link.txt is a regular file of %lld bytes: %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    expect_outcome("stat dirlink", stat("dirlink", &st) == 0, "OK");
    printf("stat dirlink is a directory: %d\n", S_ISDIR(st.st_mode));
    expect_outcome("open link.txt O_NOFOLLOW", open("link.txt", O_RDONLY | O_NOFOLLOW) >= 0, "ELOOP");

    fd = open("link.txt", O_WRONLY | O_APPEND);
    expect_outcome("append through link.txt", fd >= 0 && write(fd, "more\n", 5) == 5, "OK");
    close(fd);
    expect_str("read target.txt", slurp("target.txt", buf, sizeof buf), "target\nmore\n");

    expect_outcome("unlink dangling", unlink("dangling") == 0, "OK");
    expect_outcome("unlink dirlink", unlink("dirlink") == 0, "OK");
    expect_outcome("stat sub after unlinking dirlink", stat("sub", &st) == 0, "OK");
    expect_outcome("lstat dangling", lstat("dangling", &st) == 0, "ENOENT");

    printf("%s\n", failures ? "FAILED" : "done");
    return failures ? 1 : 0;
}
