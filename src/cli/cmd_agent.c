/*
 * cmd_agent: the hidden `ombc agent` subcommand the coordinator starts each
 * agent process with. Parses the descriptors handed over and runs the agent.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/log.h"
#include "core/units.h"
#include "worker/agent.h"

static int parse_int(const char *s, int *out) {
    int64_t v;
    if (ombc_units_parse_int(s, 0, INT_MAX, &v, NULL, 0) != 0)
        return -1;
    *out = (int)v;
    return 0;
}

int ombc_cmd_agent(int argc, char **argv) {
    int index = -1, ctrl = -1, stats = -1, spin_us = OMBC_DEFAULT_SPIN_US;
    int level = OMBC_LOG_INFO, json = 0, stamp = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        int *dst = strcmp(argv[i], "--index") == 0        ? &index
                   : strcmp(argv[i], "--control-fd") == 0 ? &ctrl
                   : strcmp(argv[i], "--stats-fd") == 0   ? &stats
                   : strcmp(argv[i], "--spin-us") == 0    ? &spin_us
                   : strcmp(argv[i], "--log-level") == 0  ? &level
                   : strcmp(argv[i], "--log-json") == 0   ? &json
                   : strcmp(argv[i], "--stamp") == 0      ? &stamp
                                                          : NULL;
        if (!dst || parse_int(argv[i + 1], dst) != 0) {
            fprintf(stderr, "ombc agent: bad argument '%s' (internal command, started by ombc "
                            "run)\n", argv[i]);
            return OMBC_EXIT_USAGE;
        }
    }
    if (index < 0 || ctrl < 0 || stats < 0) {
        fprintf(stderr, "ombc agent: internal command, started by ombc run\n");
        return OMBC_EXIT_USAGE;
    }
    char name[32];
    snprintf(name, sizeof(name), "agent-%d", index);
    ombc_log_init(level > OMBC_LOG_DEBUG ? OMBC_LOG_DEBUG : (enum ombc_log_level)level, name);
    ombc_log_set_format(json ? OMBC_LOG_JSON : OMBC_LOG_PLAIN, true);
    char err[1024] = "";
    int rc = ombc_agent_main(index, ctrl, stats, spin_us, stamp != 0, err, sizeof(err));
    if (rc) {
        OMBC_ERROR("Agent", "%s", err);
        return OMBC_EXIT_FAILED;
    }
    return OMBC_EXIT_OK;
}
