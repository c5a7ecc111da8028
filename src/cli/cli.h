/*
 * cli: ombc's subcommands. Each parses its own argv, does its work through
 * the library modules and returns the process exit status; only main()
 * exits. Exit statuses: 0 success, 1 a run failed, 2 bad input
 * (usage, configuration, unreachable broker), 130/143 interrupted.
 */
#ifndef OMBC_CLI_CLI_H
#define OMBC_CLI_CLI_H

#include <stdbool.h>

#include "core/err.h" /* OMBC_EXIT_* */

/** @brief `ombc run ...`; exe is the path of the running ombc binary. */
int ombc_cmd_run(int argc, char **argv, const char *exe);

/** @brief `ombc validate [-d DRIVERS] WORKLOAD...`: check the files as run does, run nothing. */
int ombc_cmd_validate(int argc, char **argv);

/** @brief `ombc hist decode|summary ...`: look at histograms and .hlog files. */
int ombc_cmd_hist(int argc, char **argv);

/** @brief `ombc csv DIR`: OMB's --csv, result JSON files to results-<epoch>.csv. */
int ombc_cmd_csv(int argc, char **argv);

/**
 * @brief Converts the results in dir to CSV (OMB's --csv) and prints the CSV's
 * name; errors are one line on stderr starting with who ("ombc run").
 * @return OMBC_EXIT_OK, OMBC_EXIT_USAGE (bad input), OMBC_EXIT_FAILED.
 */
int ombc_cmd_csv_convert(const char *dir, const char *who);

/** @brief `ombc cleanup [-d DRIVERS] [--prefix P] [--dry-run]`: delete topics
 *  earlier runs left behind. */
int ombc_cmd_cleanup(int argc, char **argv, const char *exe);

/** @brief `ombc chart [-o REPORT.html] [--title T] RESULT.json...`: an HTML
 *  report charting the results side by side; prints its path. */
int ombc_cmd_chart(int argc, char **argv);

/** @brief `ombc compare A.json B.json`: headline numbers side by side with B/A. */
int ombc_cmd_compare(int argc, char **argv);

struct ombc_inputs;
/** @brief Cleans up every driver of in (loaded and checked) as `ombc cleanup`
 *  does; used by `ombc run --clean-start`. @return an exit status. */
int ombc_cmd_cleanup_drivers(const struct ombc_inputs *in, const char *prefix, bool dry_run);

/** @brief `ombc calibrate [--agents N] [--seconds S]`: ombc's own ceiling,
 *  through the null driver. */
int ombc_cmd_calibrate(int argc, char **argv, const char *exe);

/** @brief `ombc agent --index I --control-fd F --stats-fd S` (internal). */
int ombc_cmd_agent(int argc, char **argv);

#endif
