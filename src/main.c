/*
 * main: subcommand dispatch, and the only place ombc exits.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/help.h"

/* `ombc help [COMMAND...] | --man | --markdown` */
static int help(int argc, char **argv) {
    if (argc < 2) {
        ombc_help_overview(stdout);
        return OMBC_EXIT_OK;
    }
    if (argc == 2 && strcmp(argv[1], "--man") == 0) {
        ombc_help_man(stdout);
        return OMBC_EXIT_OK;
    }
    if (argc == 2 && strcmp(argv[1], "--markdown") == 0) {
        ombc_help_markdown(stdout);
        return OMBC_EXIT_OK;
    }
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        ombc_help_usage(stdout, "help");
        return OMBC_EXIT_OK;
    }
    char name[64]; /* "hist decode": the words joined */
    int len = snprintf(name, sizeof(name), "%s", argv[1]);
    if (argc == 3 && len > 0 && (size_t)len < sizeof(name))
        snprintf(name + len, sizeof(name) - (size_t)len, " %s", argv[2]);
    if (argc > 3 || ombc_help_usage(stdout, name) != 0) {
        fprintf(stderr, "ombc help: no command '%s'\n", name);
        ombc_help_overview(stderr);
        return OMBC_EXIT_USAGE;
    }
    return OMBC_EXIT_OK;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        ombc_help_overview(stderr);
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
    if (strcmp(cmd, "help") == 0)
        return help(argc - 1, argv + 1);
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        ombc_help_overview(stdout);
        return OMBC_EXIT_OK;
    }
    fprintf(stderr, "ombc: unknown command '%s'\n", cmd);
    ombc_help_overview(stderr);
    return OMBC_EXIT_USAGE;
}
