#include "gw_microhttpd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static void gw_mhd_log_trampoline(void *context, const char *format, va_list arguments) {
    const struct gw_mhd_logger *logger = context;
    char message[512];
    vsnprintf(message, sizeof message, format, arguments);
    // MHD messages end with a newline; the Swift logger adds its own line structure.
    size_t length = strlen(message);
    while (length > 0 && (message[length - 1] == '\n' || message[length - 1] == '\r')) {
        message[--length] = '\0';
    }
    logger->log(logger->context, message);
}

struct MHD_Daemon *gw_mhd_start_daemon(const struct gw_mhd_daemon_options *options, int *error_code) {
    struct sockaddr_in ipv4;
    struct sockaddr_in6 ipv6;
    const struct sockaddr *address = NULL;
    unsigned int flags = options->flags;
    *error_code = 0;

    if (options->bind_address != NULL) {
        memset(&ipv4, 0, sizeof ipv4);
        memset(&ipv6, 0, sizeof ipv6);
        if (inet_pton(AF_INET, options->bind_address, &ipv4.sin_addr) == 1) {
            ipv4.sin_family = AF_INET;
            ipv4.sin_port = htons(options->port);
            address = (const struct sockaddr *)&ipv4;
        } else if (inet_pton(AF_INET6, options->bind_address, &ipv6.sin6_addr) == 1) {
            ipv6.sin6_family = AF_INET6;
            ipv6.sin6_port = htons(options->port);
            address = (const struct sockaddr *)&ipv6;
            flags |= MHD_USE_IPv6;
        } else {
            *error_code = EINVAL;
            return NULL;
        }
    }

    // Optional scalar options go through MHD_OPTION_ARRAY so that absent ones are simply left out.
    struct MHD_OptionItem items[16];
    int count = 0;
    if (address != NULL) {
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, (void *)address};
    }
    if (options->thread_pool_size > 1) {
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, options->thread_pool_size, NULL};
    }
    if (options->connection_limit > 0) {
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, options->connection_limit, NULL};
    }
    if (options->per_ip_connection_limit > 0) {
        items[count++] =
            (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT, options->per_ip_connection_limit, NULL};
    }
    if (options->strict_for_client != 0) {
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_STRICT_FOR_CLIENT, options->strict_for_client, NULL};
    }
    if (options->notify_connection != NULL) {
        // Two-pointer options in an option array: the callback goes in `value`, cast to intptr_t.
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)options->notify_connection,
                                                 options->notify_connection_context};
    }
    if (options->connection_timeout_seconds > 0) {
        items[count++] =
            (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, options->connection_timeout_seconds, NULL};
    }
    if (options->connection_memory_limit > 0) {
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                                                 (intptr_t)options->connection_memory_limit, NULL};
    }
    if (options->https_mem_cert != NULL && options->https_mem_key != NULL) {
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)options->https_mem_cert};
        items[count++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)options->https_mem_key};
    }
    items[count++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};

    const struct gw_mhd_logger *logger = options->logger;
    struct MHD_Daemon *daemon;
    errno = 0;
    if (logger != NULL) {
        flags |= MHD_USE_ERROR_LOG;
    }
    // The (callback, context) pairs are passed in the variadic list exactly as documented.
    daemon = MHD_start_daemon(
        flags, options->port, NULL, NULL, options->access_handler, options->access_handler_context,
        MHD_OPTION_EXTERNAL_LOGGER, logger != NULL ? gw_mhd_log_trampoline : NULL, (void *)logger,
        MHD_OPTION_NOTIFY_COMPLETED, options->request_completed, options->request_completed_context,
        MHD_OPTION_URI_LOG_CALLBACK, options->uri_log, options->uri_log_context,
        MHD_OPTION_ARRAY, items,
        MHD_OPTION_END);
    if (daemon == NULL) {
        *error_code = errno != 0 ? errno : EINVAL;
    }
    return daemon;
}

uint16_t gw_mhd_daemon_bind_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info != NULL ? info->port : 0;
}

unsigned int gw_mhd_daemon_current_connections(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info != NULL ? info->num_connections : 0;
}

int gw_mhd_connection_fd(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info != NULL ? info->connect_fd : -1;
}

int gw_mhd_connection_peer_address(struct MHD_Connection *connection, char *buffer, size_t size) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL || size == 0) {
        return -1;
    }
    const struct sockaddr *address = info->client_addr;
    const void *raw;
    if (address->sa_family == AF_INET) {
        raw = &((const struct sockaddr_in *)address)->sin_addr;
    } else if (address->sa_family == AF_INET6) {
        raw = &((const struct sockaddr_in6 *)address)->sin6_addr;
    } else {
        return -1;
    }
    return inet_ntop(address->sa_family, raw, buffer, (socklen_t)size) != NULL ? 0 : -1;
}
