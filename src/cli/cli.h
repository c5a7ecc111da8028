/*
 * cli: ombc's subcommands. Each parses its own argv, does its work through
 * the library modules and returns the process exit status; only main()
 * exits. Exit statuses: 0 success, 1 a run failed, 2 bad input
 * (usage, configuration, unreachable broker), 130/143 interrupted.
 */
#ifndef OMBC_CLI_CLI_H
#define OMBC_CLI_CLI_H

#define OMBC_EXIT_OK 0
#define OMBC_EXIT_FAILED 1
#define OMBC_EXIT_USAGE 2

/** @brief `ombc run ...`; exe is the path of the running ombc binary. */
int ombc_cmd_run(int argc, char **argv, const char *exe);

/** @brief `ombc hist decode|summary ...`: look at histograms and .hlog files. */
int ombc_cmd_hist(int argc, char **argv);

/** @brief `ombc agent --index I --control-fd F --stats-fd S` (internal). */
int ombc_cmd_agent(int argc, char **argv);

#endif
