#ifndef GW_MARIADB_H
#define GW_MARIADB_H

#include <stddef.h>
#include <mariadb/mysql.h>

/// `mysql_library_init` is a function-alias macro; call once before any thread uses the client.
int gw_mysql_library_init(void);

#endif
