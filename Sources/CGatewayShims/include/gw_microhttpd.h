#ifndef GW_MICROHTTPD_H
#define GW_MICROHTTPD_H

#include <microhttpd.h>

// Wrappers for MHD_start_daemon and MHD_get_daemon_info (variadic) live here.

#endif
