#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

#include "gw_process.h"

int gw_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int gw_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

#include <pthread.h>
#include <string.h>

int gw_set_current_thread_name(const char *name) {
    // Linux keeps 15 bytes and a terminator; a longer name is refused (ERANGE), so cut it.
    char cut[16];
    strncpy(cut, name, sizeof cut - 1);
    cut[sizeof cut - 1] = '\0';
    return pthread_setname_np(pthread_self(), cut);
}
