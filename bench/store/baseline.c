// The reference for bench/store: the same statements the store runs for one submission insert
// and one status update, in a plain C loop over libmariadb prepared statements (or sqlite3).
//
//   baseline mysql HOST PORT USER PASSWORD DATABASE COUNT
//   baseline sqlite PATH COUNT
#include <mariadb/mysql.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INSERT_SUBMISSION "INSERT INTO application_submission (submission_id, `user`, app_name, spark_version, queue, " \
    "status, request_body, created_time, cluster_id, namespace, resolved_queue, idempotency_key, " \
    "status_version, updated_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)"
#define INSERT_HISTORY "INSERT INTO submission_status_history (submission_id, status, observed_version, changed_time) " \
    "VALUES (?, ?, ?, ?)"
#define STATUS_COLUMNS "status, status_version, finished_time, error_message"
#define SELECT_MYSQL "SELECT " STATUS_COLUMNS " FROM application_submission WHERE submission_id = ? FOR UPDATE"
#define SELECT_SQLITE "SELECT " STATUS_COLUMNS " FROM application_submission WHERE submission_id = ?"
#define UPDATE_STATUS "UPDATE application_submission SET status = ?, status_version = ?, updated_time = ? " \
    "WHERE submission_id = ?"

static char body[2200];

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void timestamp(char *out, size_t size, int micros) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    struct tm parts;
    gmtime_r(&t.tv_sec, &parts);
    size_t n = strftime(out, size, "%Y-%m-%d %H:%M:%S", &parts);
    if (micros) snprintf(out + n, size - n, ".%06ld", t.tv_nsec / 1000);
}

// ---- MySQL ----

static void die_mysql(MYSQL *db, const char *what) {
    fprintf(stderr, "%s: %u %s\n", what, mysql_errno(db), mysql_error(db));
    exit(1);
}

static void die_stmt(MYSQL_STMT *s, const char *what) {
    fprintf(stderr, "%s: %u %s\n", what, mysql_stmt_errno(s), mysql_stmt_error(s));
    exit(1);
}

static MYSQL_STMT *prepare(MYSQL *db, const char *sql) {
    MYSQL_STMT *s = mysql_stmt_init(db);
    if (!s || mysql_stmt_prepare(s, sql, strlen(sql))) die_mysql(db, "prepare");
    my_bool update = 1;
    mysql_stmt_attr_set(s, STMT_ATTR_UPDATE_MAX_LENGTH, &update);
    return s;
}

static void text(MYSQL_BIND *b, const char *value, unsigned long *length) {
    memset(b, 0, sizeof *b);
    *length = strlen(value);
    b->buffer_type = MYSQL_TYPE_STRING;
    b->buffer = (void *)value;
    b->buffer_length = *length;
    b->length = length;
}

static void integer(MYSQL_BIND *b, long long *value) {
    memset(b, 0, sizeof *b);
    b->buffer_type = MYSQL_TYPE_LONGLONG;
    b->buffer = value;
    b->buffer_length = 8;
}

static void null(MYSQL_BIND *b) {
    memset(b, 0, sizeof *b);
    b->buffer_type = MYSQL_TYPE_NULL;
}

static void execute(MYSQL_STMT *s, MYSQL_BIND *binds) {
    if (mysql_stmt_bind_param(s, binds)) die_stmt(s, "bind");
    if (mysql_stmt_execute(s)) die_stmt(s, "execute");
}

static void run_mysql(const char *host, int port, const char *user, const char *password, const char *database, int count) {
    mysql_server_init(0, NULL, NULL);
    MYSQL *db = mysql_init(NULL);
    // The client options the store sets too: utf8mb4 and socket timeouts (with timeouts the
    // client polls before each read, which costs a system call per round trip).
    unsigned int connect_timeout = 10, read_timeout = 30, write_timeout = 30;
    mysql_options(db, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
    mysql_options(db, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
    mysql_options(db, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout);
    mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    if (!mysql_real_connect(db, host, user, password, database, port, NULL, CLIENT_FOUND_ROWS)) die_mysql(db, "connect");
    if (mysql_query(db, "SET time_zone = '+00:00'")) die_mysql(db, "time_zone");
    MYSQL_STMT *insert = prepare(db, INSERT_SUBMISSION);
    MYSQL_STMT *history = prepare(db, INSERT_HISTORY);
    MYSQL_STMT *select = prepare(db, SELECT_MYSQL);
    MYSQL_STMT *update = prepare(db, UPDATE_STATUS);
    char id[64], created[32], micros[40];
    unsigned long lengths[16];
    MYSQL_BIND binds[16];
    long long zero = 0, one = 1;

    double start = now_seconds();
    for (int i = 0; i < count; i++) {
        snprintf(id, sizeof id, "bench-%d", i);
        timestamp(created, sizeof created, 0);
        timestamp(micros, sizeof micros, 1);
        if (mysql_query(db, "START TRANSACTION")) die_mysql(db, "begin");
        text(&binds[0], id, &lengths[0]);
        text(&binds[1], "bench-user", &lengths[1]);
        text(&binds[2], "bench-app", &lengths[2]);
        text(&binds[3], "3.5.0", &lengths[3]);
        text(&binds[4], "poc", &lengths[4]);
        text(&binds[5], "ACCEPTED", &lengths[5]);
        text(&binds[6], body, &lengths[6]);
        text(&binds[7], created, &lengths[7]);
        text(&binds[8], "spark-a", &lengths[8]);
        text(&binds[9], "spark-ns", &lengths[9]);
        text(&binds[10], "root.poc", &lengths[10]);
        null(&binds[11]);
        text(&binds[12], micros, &lengths[12]);
        execute(insert, binds);
        text(&binds[0], id, &lengths[0]);
        text(&binds[1], "ACCEPTED", &lengths[1]);
        integer(&binds[2], &zero);
        text(&binds[3], micros, &lengths[3]);
        execute(history, binds);
        if (mysql_commit(db)) die_mysql(db, "commit");
    }
    double inserts = count / (now_seconds() - start);

    enum { COLUMNS_COUNT = 4 };
    static char buffers[COLUMNS_COUNT][4096];
    unsigned long result_lengths[COLUMNS_COUNT];
    my_bool nulls[COLUMNS_COUNT];
    MYSQL_BIND results[COLUMNS_COUNT];
    start = now_seconds();
    for (int i = 0; i < count; i++) {
        snprintf(id, sizeof id, "bench-%d", i);
        timestamp(micros, sizeof micros, 1);
        if (mysql_query(db, "START TRANSACTION")) die_mysql(db, "begin");
        text(&binds[0], id, &lengths[0]);
        execute(select, binds);
        if (mysql_stmt_store_result(select)) die_stmt(select, "store");
        MYSQL_RES *meta = mysql_stmt_result_metadata(select);
        memset(results, 0, sizeof results);
        for (int c = 0; c < COLUMNS_COUNT; c++) {
            results[c].buffer_type = MYSQL_TYPE_STRING;
            results[c].buffer = buffers[c];
            results[c].buffer_length = sizeof buffers[c];
            results[c].length = &result_lengths[c];
            results[c].is_null = &nulls[c];
        }
        if (mysql_stmt_bind_result(select, results)) die_stmt(select, "bind result");
        while (mysql_stmt_fetch(select) == 0) {}
        mysql_free_result(meta);
        mysql_stmt_free_result(select);
        text(&binds[0], "RUNNING", &lengths[0]);
        integer(&binds[1], &one);
        text(&binds[2], micros, &lengths[2]);
        text(&binds[3], id, &lengths[3]);
        execute(update, binds);
        text(&binds[0], id, &lengths[0]);
        text(&binds[1], "RUNNING", &lengths[1]);
        integer(&binds[2], &one);
        text(&binds[3], micros, &lengths[3]);
        execute(history, binds);
        if (mysql_commit(db)) die_mysql(db, "commit");
    }
    double updates = count / (now_seconds() - start);
    printf("inserts_per_s=%.0f updates_per_s=%.0f\n", inserts, updates);
    mysql_stmt_close(insert);
    mysql_stmt_close(history);
    mysql_stmt_close(select);
    mysql_stmt_close(update);
    mysql_close(db);
}

// ---- SQLite ----

static sqlite3 *lite;

static void die_sqlite(const char *what) {
    fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(lite));
    exit(1);
}

static sqlite3_stmt *lite_prepare(const char *sql) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v3(lite, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) die_sqlite("prepare");
    return s;
}

static void lite_step(sqlite3_stmt *s) {
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(s); c++) {
            if (sqlite3_column_type(s, c) == SQLITE_TEXT) (void)sqlite3_column_text(s, c);
        }
    }
    if (rc != SQLITE_DONE) die_sqlite("step");
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static void lite_text(sqlite3_stmt *s, int index, const char *value) {
    sqlite3_bind_text(s, index, value, -1, SQLITE_TRANSIENT);
}

static void run_sqlite(const char *path, int count) {
    if (sqlite3_open_v2(path, &lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) die_sqlite("open");
    sqlite3_busy_timeout(lite, 5000);
    sqlite3_exec(lite, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
    sqlite3_exec(lite, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
    sqlite3_stmt *begin = lite_prepare("BEGIN IMMEDIATE");
    sqlite3_stmt *commit = lite_prepare("COMMIT");
    sqlite3_stmt *insert = lite_prepare(INSERT_SUBMISSION);
    sqlite3_stmt *history = lite_prepare(INSERT_HISTORY);
    sqlite3_stmt *select = lite_prepare(SELECT_SQLITE);
    sqlite3_stmt *update = lite_prepare(UPDATE_STATUS);
    char id[64], created[32], micros[40];

    double start = now_seconds();
    for (int i = 0; i < count; i++) {
        snprintf(id, sizeof id, "bench-%d", i);
        timestamp(created, sizeof created, 0);
        timestamp(micros, sizeof micros, 1);
        lite_step(begin);
        const char *values[] = {id, "bench-user", "bench-app", "3.5.0", "poc", "ACCEPTED", body, created,
                                "spark-a", "spark-ns", "root.poc"};
        for (int v = 0; v < 11; v++) lite_text(insert, v + 1, values[v]);
        sqlite3_bind_null(insert, 12);
        lite_text(insert, 13, micros);
        lite_step(insert);
        lite_text(history, 1, id);
        lite_text(history, 2, "ACCEPTED");
        sqlite3_bind_int64(history, 3, 0);
        lite_text(history, 4, micros);
        lite_step(history);
        lite_step(commit);
    }
    double inserts = count / (now_seconds() - start);

    start = now_seconds();
    for (int i = 0; i < count; i++) {
        snprintf(id, sizeof id, "bench-%d", i);
        timestamp(micros, sizeof micros, 1);
        lite_step(begin);
        lite_text(select, 1, id);
        lite_step(select);
        lite_text(update, 1, "RUNNING");
        sqlite3_bind_int64(update, 2, 1);
        lite_text(update, 3, micros);
        lite_text(update, 4, id);
        lite_step(update);
        lite_text(history, 1, id);
        lite_text(history, 2, "RUNNING");
        sqlite3_bind_int64(history, 3, 1);
        lite_text(history, 4, micros);
        lite_step(history);
        lite_step(commit);
    }
    double updates = count / (now_seconds() - start);
    printf("inserts_per_s=%.0f updates_per_s=%.0f\n", inserts, updates);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_finalize(insert);
    sqlite3_finalize(history);
    sqlite3_finalize(select);
    sqlite3_finalize(update);
    sqlite3_close(lite);
}

int main(int argc, char **argv) {
    size_t n = strlen("{\"sparkVersion\":\"3.5.0\",\"mainApplicationFile\":\"s3a://bucket/app.jar\",\"padding\":\"");
    memcpy(body, "{\"sparkVersion\":\"3.5.0\",\"mainApplicationFile\":\"s3a://bucket/app.jar\",\"padding\":\"", n);
    memset(body + n, 'x', 2000);
    memcpy(body + n + 2000, "\"}", 3);
    if (argc == 8 && strcmp(argv[1], "mysql") == 0) {
        run_mysql(argv[2], atoi(argv[3]), argv[4], argv[5], argv[6], atoi(argv[7]));
    } else if (argc == 4 && strcmp(argv[1], "sqlite") == 0) {
        run_sqlite(argv[2], atoi(argv[3]));
    } else {
        fprintf(stderr, "usage: baseline mysql HOST PORT USER PASSWORD DATABASE COUNT | baseline sqlite PATH COUNT\n");
        return 2;
    }
    return 0;
}
