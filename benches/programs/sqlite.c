/* sqlite: SQLite 3 (the amalgamation, about 1 MB of wasm code) driving an
   in-memory database. The big module is the point: it measures start-up
   (decode, validate, translate, instantiate) as much as execution.

   usage: sqlite [ROWS]        (default 5000)
     ROWS > 0   open ":memory:", create a table, insert ROWS rows in one
                transaction through a prepared statement, index it, then run
                an aggregate, a GROUP BY, an ORDER BY ... LIMIT, point lookups
                through the index and a join; print the results and a final
                `checksum` line (FNV-1a over everything printed before it)
     0          start-up mode: open ":memory:", close it, print one line
     none       start-up mode without SQLite: print one line, touch nothing

   Deterministic: the data comes from a fixed LCG, never from SQLite's
   random() (which would ask WASI for entropy). Built by
   scripts/build-bench-programs.sh. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"

static uint64_t fnv = 0xcbf29ce484222325ull;

/* Prints like printf and folds the text into the checksum. */
static void out(const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if (n >= (int)sizeof buf) n = sizeof buf - 1;
    for (int i = 0; i < n; i++) fnv = (fnv ^ (unsigned char)buf[i]) * 0x100000001b3ull;
    fputs(buf, stdout);
}

static sqlite3 *db;

static void die(const char *what) {
    fprintf(stderr, "sqlite: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

static void exec(const char *sql) {
    char *err = 0;
    if (sqlite3_exec(db, sql, 0, 0, &err) != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s: %s\n", sql, err ? err : "?");
        exit(1);
    }
}

static sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, 0) != SQLITE_OK) die(sql);
    return st;
}

/* Runs a query and prints every row, columns separated by '|', as text
   (SQLite's own number formatting, so every engine prints the same). */
static void query(const char *title, const char *sql) {
    sqlite3_stmt *st = prepare(sql);
    out("-- %s\n", title);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_count(st);
        for (int i = 0; i < n; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            out("%s%s", i ? "|" : "", t ? (const char *)t : "NULL");
        }
        out("\n");
    }
    if (rc != SQLITE_DONE) die(sql);
    sqlite3_finalize(st);
}

static uint32_t lcg = 12345;
static uint32_t rnd(void) {
    lcg = lcg * 1103515245u + 12345u;
    return lcg >> 8;
}

static const char *const words[] = {
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
    "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa",
};

int main(int argc, char **argv) {
    const char *arg = argc > 1 ? argv[1] : "5000";
    if (strcmp(arg, "none") == 0) {
        printf("sqlite none\n");
        return 0;
    }
    long rows = strtol(arg, 0, 10);
    if (rows < 0) {
        fprintf(stderr, "usage: sqlite [ROWS|0|none]\n");
        return 2;
    }
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) die("open");
    if (rows == 0) {
        sqlite3_close(db);
        printf("sqlite %s open+close\n", sqlite3_libversion());
        return 0;
    }

    exec("CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, "
         "name TEXT NOT NULL, v REAL NOT NULL);"
         "CREATE TABLE g(k INTEGER PRIMARY KEY, label TEXT NOT NULL);");

    exec("BEGIN");
    sqlite3_stmt *ins = prepare("INSERT INTO t(k, name, v) VALUES(?1, ?2, ?3)");
    for (long i = 0; i < rows; i++) {
        char name[48];
        uint32_t r = rnd();
        snprintf(name, sizeof name, "%s-%s-%u", words[r & 15], words[(r >> 4) & 15],
                 (unsigned)(rnd() % 10000));
        sqlite3_bind_int(ins, 1, (int)(rnd() % 1000));
        sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(ins, 3, (double)(rnd() % 1000000) / 1000.0);
        if (sqlite3_step(ins) != SQLITE_DONE) die("insert");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_stmt *gi = prepare("INSERT INTO g(k, label) VALUES(?1, ?2)");
    for (int k = 0; k < 1000; k += 7) {
        sqlite3_bind_int(gi, 1, k);
        sqlite3_bind_text(gi, 2, words[k % 16], -1, SQLITE_STATIC);
        if (sqlite3_step(gi) != SQLITE_DONE) die("insert g");
        sqlite3_reset(gi);
    }
    sqlite3_finalize(gi);
    exec("COMMIT");
    exec("CREATE INDEX t_k ON t(k); CREATE INDEX t_name ON t(name)");

    out("sqlite %s rows %ld\n", sqlite3_libversion(), rows);
    query("aggregate",
          "SELECT count(*), sum(k), printf('%.3f', avg(v)), min(v), max(v), "
          "count(DISTINCT k) FROM t");
    query("group by", "SELECT k % 8, count(*), printf('%.3f', sum(v)) FROM t GROUP BY 1 ORDER BY 1");
    query("order by", "SELECT id, name, v FROM t ORDER BY v DESC, id LIMIT 5");
    query("like", "SELECT count(*), max(length(name)) FROM t WHERE name LIKE 'echo-%'");
    query("join",
          "SELECT g.label, count(*), sum(t.k) FROM t JOIN g ON g.k = t.k "
          "GROUP BY g.label ORDER BY 2 DESC, 1 LIMIT 4");

    /* Point lookups through the index on k, and by primary key. */
    sqlite3_stmt *look = prepare("SELECT count(*), coalesce(sum(id), 0) FROM t WHERE k = ?1");
    sqlite3_stmt *byid = prepare("SELECT name FROM t WHERE id = ?1");
    int64_t lsum = 0, lcount = 0;
    uint64_t nsum = 0;
    for (int i = 0; i < 2000; i++) {
        sqlite3_bind_int(look, 1, (int)(rnd() % 1000));
        if (sqlite3_step(look) != SQLITE_ROW) die("lookup");
        lcount += sqlite3_column_int64(look, 0);
        lsum += sqlite3_column_int64(look, 1);
        sqlite3_reset(look);
        sqlite3_bind_int64(byid, 1, (sqlite3_int64)(rnd() % (uint32_t)rows) + 1);
        if (sqlite3_step(byid) != SQLITE_ROW) die("by id");
        for (const unsigned char *p = sqlite3_column_text(byid, 0); *p; p++) nsum = nsum * 31 + *p;
        sqlite3_reset(byid);
    }
    sqlite3_finalize(look);
    sqlite3_finalize(byid);
    out("-- lookups\n%lld|%lld|%llu\n", (long long)lcount, (long long)lsum,
        (unsigned long long)nsum);

    exec("UPDATE t SET v = v / 2 WHERE k < 100; DELETE FROM t WHERE k >= 900");
    query("after update", "SELECT count(*), printf('%.3f', sum(v)) FROM t");

    if (sqlite3_close(db) != SQLITE_OK) die("close");
    printf("checksum %016llx\n", (unsigned long long)fnv);
    return 0;
}
