#ifndef GW_SQLITE_H
#define GW_SQLITE_H

#include <sqlite3.h>

/// Binds text that SQLite copies at once (`SQLITE_TRANSIENT`, a cast macro Swift cannot import).
int gw_sqlite3_bind_text_transient(sqlite3_stmt *statement, int index, const char *text, int length);
/// Binds bytes that SQLite copies at once (`SQLITE_TRANSIENT`).
int gw_sqlite3_bind_blob_transient(sqlite3_stmt *statement, int index, const void *bytes, int length);

#endif
