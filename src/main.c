/*
 * main: subcommand dispatch, and the only place ombc exits.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static void usage(FILE *out) {
    fprintf(out,
            "ombc %s: the OpenMessaging Benchmark in C\n"
            "\n"
            "usage: ombc run [-d DRIVER.yaml[,DRIVER2.yaml]] [-o OUT.json] [--agents N]\n"
            "                [--report-interval SECONDS] [--hlog DIR] [--check-delivery]\n"
            "                [--agent-restarts N] [--clean-start] WORKLOAD.yaml...\n"
            "       ombc validate [-d DRIVER.yaml[,DRIVER2.yaml]] WORKLOAD.yaml...\n"
            "       ombc hist decode            (base64 histograms on stdin)\n"
            "       ombc hist summary [-i] FILE.hlog...\n"
            "       ombc calibrate [--agents N] [--seconds S]   (ombc's own ceiling)\n"
            "       ombc cleanup [-d DRIVER.yaml[,...]] [--prefix PREFIX] [--dry-run]\n"
            "       ombc csv DIR                (result files in DIR -> results-<epoch>.csv)\n"
            "       ombc chart [-o REPORT.html] RESULT.json...   (HTML report with charts)\n"
            "       ombc compare A.json B.json  (headline numbers side by side, B/A)\n"
            "       ombc --version\n"
            "\n"
            "With no -d, the embedded Kafka (drivers/kafka-embedded.yaml) is used.\n",
            OMBC_VERSION);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return OMBC_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0 || strcmp(cmd, "calibrate") == 0) {
        char exe[PATH_MAX]; /* the agents are started from it */
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (n <= 0) {
            fprintf(stderr, "ombc: cannot find my own executable\n");
            return OMBC_EXIT_FAILED;
        }
        exe[n] = '\0';
        if (cmd[0] == 'c')
            return ombc_cmd_calibrate(argc - 1, argv + 1, exe);
        return ombc_cmd_run(argc - 1, argv + 1, exe);
    }
    if (strcmp(cmd, "validate") == 0)
        return ombc_cmd_validate(argc - 1, argv + 1);
    if (strcmp(cmd, "hist") == 0)
        return ombc_cmd_hist(argc - 1, argv + 1);
    if (strcmp(cmd, "csv") == 0)
        return ombc_cmd_csv(argc - 1, argv + 1);
    if (strcmp(cmd, "chart") == 0)
        return ombc_cmd_chart(argc - 1, argv + 1);
    if (strcmp(cmd, "compare") == 0)
        return ombc_cmd_compare(argc - 1, argv + 1);
    if (strcmp(cmd, "cleanup") == 0)
        return ombc_cmd_cleanup(argc - 1, argv + 1, NULL);
    if (strcmp(cmd, "agent") == 0)
        return ombc_cmd_agent(argc - 1, argv + 1);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("ombc %s\n", OMBC_VERSION);
        return OMBC_EXIT_OK;
    }
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return OMBC_EXIT_OK;
    }
    fprintf(stderr, "ombc: unknown command '%s'\n", cmd);
    usage(stderr);
    return OMBC_EXIT_USAGE;
}
