#include "gw_microhttpd.h"
