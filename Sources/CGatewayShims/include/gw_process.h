#ifndef GW_PROCESS_H
#define GW_PROCESS_H

/// `pipe2(fds, O_CLOEXEC)`: both ends close on exec from the start, so a child started by another
/// thread at the same moment cannot inherit them (pipe2 needs _GNU_SOURCE, which Swift does not set).
int gw_pipe_cloexec(int fds[2]);

#include <spawn.h>

/// `posix_spawn_file_actions_addclosefrom_np(actions, lowest)`: the child closes every descriptor from
/// `lowest` up, so it holds none of the parent's sockets (a child that kept a copy of a client's socket
/// would keep that connection open after the client closed it). A GNU extension, hence the wrapper.
int gw_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

/// Names the calling thread for the OS (`top -H`, `perf`, `/proc/PID/task/TID/comm`): the first
/// 15 bytes of `name`. Returns 0 or an errno value.
int gw_set_current_thread_name(const char *name);

#endif
