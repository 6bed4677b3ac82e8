#ifndef GW_PROCESS_H
#define GW_PROCESS_H

/// `pipe2(fds, O_CLOEXEC)`: both ends close on exec from the start, so a child started by another
/// thread at the same moment cannot inherit them (pipe2 needs _GNU_SOURCE, which Swift does not set).
int gw_pipe_cloexec(int fds[2]);

#endif
