/*
 * agent: the body of an agent process (`ombc agent`, started by agent_pool).
 */
#ifndef OMBC_WORKER_AGENT_H
#define OMBC_WORKER_AGENT_H

#include <stddef.h>

/**
 * @brief Serves commands from ctrl_fd until "stop" or until the coordinator
 * goes away, recording into the stats block behind stats_fd.
 * @return 0 on an orderly end, else a negative OMBC_E* code with errstr.
 */
int ombc_agent_main(int index, int ctrl_fd, int stats_fd, char *errstr, size_t errstr_size);

#endif
