#include <stddef.h>
#include <mariadb/mysql.h>
