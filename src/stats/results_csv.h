/*
 * results_csv: OMB's `--csv` mode (ResultsToCsv, OMB-REFERENCE.md 5.4). Turns
 * a directory of TestResult JSON files into one CSV table: a row per result
 * with its shape (topics, partitions, message size, producers and consumers
 * per topic) and the min/avg/std-dev/max of its publish and consume rates,
 * computed as OMB does through a 1-significant-digit HDR histogram and
 * printed with Java DecimalFormat "#" / "#.##". Reading the directory and
 * writing the CSV file are done here; what to print about it is the CLI's.
 * Stateless; callable from any thread except that ombc_results_csv_write
 * writes into the process's current directory.
 */
#ifndef OMBC_STATS_RESULTS_CSV_H
#define OMBC_STATS_RESULTS_CSV_H

#include <stddef.h>

/**
 * @brief Java DecimalFormat("#") (max_fraction_digits 0) or "#.##" (2):
 * rounding half-even on the exact binary value, no grouping, no trailing
 * fraction zeros, always an integer digit ("0", "0.5"); a negative value that
 * rounds to zero gives "-0", as in Java. NaN gives "NaN" and infinities
 * "∞"/"-∞" (UTF-8).
 * @remark Java rounds the shortest decimal of v when that has no more
 * fraction digits than allowed; this formats the exact value instead, which
 * gives the same text whenever |v| < 2^33 (every CSV figure is below 2^24).
 * @param max_fraction_digits 0..9.
 */
void ombc_results_csv_decimal(char *buf, size_t size, double v, int max_fraction_digits);

/**
 * @brief The CSV text OMB's ResultsToCsv writes for directory dir: every
 * regular file (symbolic links followed) whose name ends in ".json", read in
 * name order, sorted stably by messageSize, then topics, then partitions;
 * the header line (with OMB's trailing comma) then one line per result, each
 * ending in "\n".
 * @param csv receives a malloc'd NUL-terminated string (the caller frees it);
 *        untouched on failure.
 * @return 0; OMBC_ENOENT (dir cannot be opened, holds no .json file, or one
 *         cannot be read), OMBC_EPARSE (a .json file is not
 *         JSON, or not an OMB result: the five integer shape fields and the
 *         publishRate and consumeRate number arrays are required, other keys
 *         are ignored), OMBC_ERANGE (a rate whose (long) value is negative or
 *         at least 16777216, beyond what OMB's Histogram(10000000, 1) can
 *         record), OMBC_ENOMEM. errstr names the file and, for a rate, the
 *         field and index.
 */
int ombc_results_csv_text(const char *dir, char **csv, char *errstr, size_t errstr_size);

/**
 * @brief OMB's --csv: writes ombc_results_csv_text(dir) to
 * "results-<epoch seconds>.csv" in the current directory (replacing a file of
 * that name) and copies that name into path.
 * @return 0, the errors of ombc_results_csv_text, OMBC_EIO (the CSV cannot
 *         be written; errstr names it; nothing is left behind). OMBC_EIO
 *         only ever concerns the output.
 * @param path receives the file name, e.g. "results-1700000000.csv"
 *        (path_size 64 is enough).
 */
int ombc_results_csv_write(const char *dir, char *path, size_t path_size, char *errstr,
                           size_t errstr_size);

#endif
