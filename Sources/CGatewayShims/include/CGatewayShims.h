// Typed, non-variadic wrappers (prefixed `gw_`) for the C functions and macros that Swift cannot
// import: variadic functions (curl_easy_setopt, MHD_start_daemon, …), cast macros (SQLITE_TRANSIENT)
// and function-alias macros (mysql_library_init). One header per C library.
#ifndef C_GATEWAY_SHIMS_H
#define C_GATEWAY_SHIMS_H

#include "gw_curl.h"
#include "gw_microhttpd.h"
#include "gw_mariadb.h"
#include "gw_sqlite.h"
#include "gw_process.h"

#endif
