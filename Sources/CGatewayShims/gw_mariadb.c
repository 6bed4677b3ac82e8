#include "gw_mariadb.h"

int gw_mysql_library_init(void) {
    return mysql_server_init(0, NULL, NULL);
}
