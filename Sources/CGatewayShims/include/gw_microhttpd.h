#ifndef GW_MICROHTTPD_H
#define GW_MICROHTTPD_H

#include <stddef.h>
#include <stdint.h>
#include <microhttpd.h>

/// Receives libmicrohttpd's diagnostics, already formatted (MHD's logger is a `va_list` callback,
/// which Swift cannot implement).
struct gw_mhd_logger {
    void (*log)(void *context, const char *message);
    void *context;
};

/// The options `gw_mhd_start_daemon` passes to the variadic `MHD_start_daemon`.
/// Zero means "MHD's default" for the numeric limits.
struct gw_mhd_daemon_options {
    /// `MHD_FLAG` bits; `MHD_USE_IPv6` is added when `bind_address` is an IPv6 literal.
    unsigned int flags;
    /// Port to bind; 0 lets the kernel pick (read it back with `gw_mhd_daemon_bind_port`).
    uint16_t port;
    /// Numeric IPv4 or IPv6 address to bind, or NULL for every IPv4 interface.
    const char *bind_address;
    unsigned int thread_pool_size;
    unsigned int connection_limit;
    /// `MHD_OPTION_PER_IP_CONNECTION_LIMIT`; 0 leaves it off.
    unsigned int per_ip_connection_limit;
    /// `MHD_OPTION_STRICT_FOR_CLIENT`: 1 strict, 0 default, -1 tolerant.
    int strict_for_client;
    unsigned int connection_timeout_seconds;
    size_t connection_memory_limit;
    /// PEM text, or NULL for plain HTTP. libmicrohttpd reads them while starting.
    const char *https_mem_cert;
    const char *https_mem_key;
    MHD_AccessHandlerCallback access_handler;
    void *access_handler_context;
    MHD_RequestCompletedCallback request_completed;
    void *request_completed_context;
    /// Called with the raw request URI before any header is read; its result becomes the
    /// request's `*req_cls`. May be NULL.
    void *(*uri_log)(void *context, const char *uri, struct MHD_Connection *connection);
    void *uri_log_context;
    /// `MHD_OPTION_NOTIFY_CONNECTION`: told when a connection opens and closes. May be NULL.
    MHD_NotifyConnectionCallback notify_connection;
    void *notify_connection_context;
    /// Must outlive the daemon. May be NULL.
    const struct gw_mhd_logger *logger;
};

/// `MHD_start_daemon` with typed options. On failure returns NULL and stores an errno-style code
/// in `*error_code` (EINVAL for an unparsable bind address, otherwise errno after the call).
struct MHD_Daemon *gw_mhd_start_daemon(const struct gw_mhd_daemon_options *options, int *error_code);

/// `MHD_get_daemon_info(MHD_DAEMON_INFO_BIND_PORT)`; 0 when unknown.
uint16_t gw_mhd_daemon_bind_port(struct MHD_Daemon *daemon);

/// `MHD_get_daemon_info(MHD_DAEMON_INFO_CURRENT_CONNECTIONS)`.
unsigned int gw_mhd_daemon_current_connections(struct MHD_Daemon *daemon);

/// The connection's socket (`MHD_CONNECTION_INFO_CONNECTION_FD`), or -1.
int gw_mhd_connection_fd(struct MHD_Connection *connection);

/// Writes the client's numeric address ("127.0.0.1", "::1") into `buffer`
/// (`MHD_get_connection_info(MHD_CONNECTION_INFO_CLIENT_ADDRESS)`, variadic). Returns 0 on success.
int gw_mhd_connection_peer_address(struct MHD_Connection *connection, char *buffer, size_t size);

#endif
