/* fs_escape.c: every attempt to leave the granted directory must fail.
 *
 * Uses the raw WASI calls (not libc's path resolution) on the first
 * preopened directory, so the runtime alone decides. The host prepares the
 * granted directory with:
 *   file.txt   a regular file
 *   sub/       a directory
 *   abs_link   a symlink to an absolute host path outside (the sentinel file)
 *   up_link    a symlink to ".."
 * and puts sentinel.txt next to the granted directory. Each attempt prints
 * "what: ERRNO" (the WASI errno name); one that succeeds prints
 * "what: OK ESCAPED". Creating a symlink whose target points outside may
 * succeed (it is only a string) or fail; following it must not succeed. Exits 0 when every
 * escape was refused and every step inside worked, 1 otherwise. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#include "common.h"

static int escapes, failures, attempts;

/* An escape attempt: `err` must not be success. */
static void refused(const char *what, __wasi_errno_t err) {
    attempts++;
    printf("%s: %s%s\n", what, errno_name(err), err == 0 ? " ESCAPED" : "");
    if (err == 0)
        escapes++;
}

/* A step that must work (it stays inside). */
static void allowed(const char *what, __wasi_errno_t err) {
    printf("%s: %s%s\n", what, errno_name(err), err == 0 ? "" : " FAIL");
    if (err != 0)
        failures++;
}

static __wasi_fd_t root;
static __wasi_rights_t inheriting;

#define READ_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET)
#define WRITE_RIGHTS (__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE)
/* What libc's opendir asks for: every right except writing and the file-only ones. */
#define DIR_RIGHTS                                                                                                   \
    (~(__WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_ALLOCATE |                              \
       __WASI_RIGHTS_FD_FILESTAT_SET_SIZE))
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

/* path_open under `dir`; closes the descriptor if it opened. */
static __wasi_errno_t try_open(__wasi_fd_t dir, __wasi_lookupflags_t lookup, const char *path,
                               __wasi_oflags_t oflags, __wasi_rights_t rights, __wasi_fd_t *out) {
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    __wasi_errno_t err = __wasi_path_open(dir, lookup, path, oflags, rights & inheriting, inheriting, 0, &fd);
    if (err == 0) {
        if (out)
            *out = fd;
        else
            (void)__wasi_fd_close(fd);
    }
    return err;
}

/* Writes through an fd that should never have been opened, so an escape shows on the host. */
static void scribble(__wasi_fd_t fd) {
    __wasi_ciovec_t iov = {(const uint8_t *)"escaped\n", 8};
    __wasi_size_t n;
    (void)__wasi_fd_write(fd, &iov, 1, &n);
    (void)__wasi_fd_close(fd);
}

/* Makes link -> target (which may be refused: it is only a string) and, if
 * that worked, creates a file through it (which must be refused). Prints the
 * first refusal. */
static void symlink_then_create(const char *link, const char *target) {
    char what[128];
    snprintf(what, sizeof what, "symlink %s -> %s, then create through it", link, target);
    __wasi_errno_t err = __wasi_path_symlink(target, root, link);
    __wasi_fd_t fd;
    if (err == 0) {
        err = try_open(root, FOLLOW, link, __WASI_OFLAGS_CREAT, WRITE_RIGHTS, &fd);
        if (err == 0)
            scribble(fd);
    }
    refused(what, err);
}

int main(void) {
    /* The first preopened directory. */
    __wasi_prestat_t pre;
    for (root = 3; __wasi_fd_prestat_get(root, &pre) == 0; root++)
        if (pre.tag == __WASI_PREOPENTYPE_DIR)
            break;
    __wasi_fdstat_t st;
    if (__wasi_fd_prestat_get(root, &pre) != 0 || __wasi_fd_fdstat_get(root, &st) != 0) {
        puts("no preopened directory");
        return 2;
    }
    inheriting = st.fs_rights_inheriting;
    printf("preopened directory fd %u\n", root);

    __wasi_filestat_t fst;
    __wasi_fd_t fd;
    allowed("open file.txt (inside)", try_open(root, 0, "file.txt", 0, READ_RIGHTS, NULL));

    /* Plain paths. */
    __wasi_errno_t err = try_open(root, FOLLOW, "../outside", __WASI_OFLAGS_CREAT, WRITE_RIGHTS, &fd);
    refused("create ../outside", err);
    if (err == 0)
        scribble(fd);
    refused("open ../sentinel.txt", try_open(root, FOLLOW, "../sentinel.txt", 0, READ_RIGHTS, NULL));
    refused("open sub/../../sentinel.txt", try_open(root, FOLLOW, "sub/../../sentinel.txt", 0, READ_RIGHTS, NULL));
    refused("open /etc/passwd", try_open(root, FOLLOW, "/etc/passwd", 0, READ_RIGHTS, NULL));
    refused("stat ../sentinel.txt", __wasi_path_filestat_get(root, FOLLOW, "../sentinel.txt", &fst));
    refused("stat /", __wasi_path_filestat_get(root, FOLLOW, "/", &fst));

    /* Pre-existing symlinks that point outside. */
    allowed("lstat abs_link (the link itself)", __wasi_path_filestat_get(root, 0, "abs_link", &fst));
    refused("open abs_link (absolute target)", try_open(root, FOLLOW, "abs_link", 0, READ_RIGHTS, NULL));
    err = try_open(root, FOLLOW, "abs_link", __WASI_OFLAGS_TRUNC, WRITE_RIGHTS, &fd);
    refused("truncate through abs_link", err);
    if (err == 0)
        scribble(fd);
    refused("stat through abs_link", __wasi_path_filestat_get(root, FOLLOW, "abs_link", &fst));
    refused("open up_link (-> ..)", try_open(root, FOLLOW, "up_link", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, NULL));
    refused("open up_link/sentinel.txt", try_open(root, FOLLOW, "up_link/sentinel.txt", 0, READ_RIGHTS, NULL));
    err = try_open(root, FOLLOW, "up_link/new.txt", __WASI_OFLAGS_CREAT, WRITE_RIGHTS, &fd);
    refused("create up_link/new.txt", err);
    if (err == 0)
        scribble(fd);

    /* Symlinks made by the guest pointing outside, then written through. */
    symlink_then_create("evil", "../x");
    symlink_then_create("evil_abs", "/tmp/mote-escape-x");

    /* Links, renames, directories. */
    refused("link file.txt -> ../linked", __wasi_path_link(root, 0, "file.txt", root, "../linked"));
    refused("link ../sentinel.txt -> stolen", __wasi_path_link(root, 0, "../sentinel.txt", root, "stolen"));
    refused("rename file.txt -> ../file.txt", __wasi_path_rename(root, "file.txt", root, "../file.txt"));
    refused("rename ../sentinel.txt -> stolen", __wasi_path_rename(root, "../sentinel.txt", root, "stolen"));
    refused("opendir ..", try_open(root, FOLLOW, "..", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, NULL));
    refused("opendir /", try_open(root, FOLLOW, "/", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, NULL));
    refused("mkdir ../d", __wasi_path_create_directory(root, "../d"));
    refused("unlink ../sentinel.txt", __wasi_path_unlink_file(root, "../sentinel.txt"));
    refused("set times of ../sentinel.txt", __wasi_path_filestat_set_times(root, FOLLOW, "../sentinel.txt", 0, 0,
                                                                           __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));

    /* A directory opened from the preopen is a capability of its own. */
    __wasi_fd_t sub;
    allowed("opendir sub", try_open(root, FOLLOW, "sub", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, &sub));
    allowed("from sub: stat .", __wasi_path_filestat_get(sub, 0, ".", &fst));
    refused("from sub: open ../file.txt", try_open(sub, FOLLOW, "../file.txt", 0, READ_RIGHTS, NULL));
    refused("from sub: open ../../sentinel.txt", try_open(sub, FOLLOW, "../../sentinel.txt", 0, READ_RIGHTS, NULL));
    (void)__wasi_fd_close(sub);

    printf("%d of %d attempts escaped\n", escapes, attempts);
    return escapes || failures ? 1 : 0;
}
