/*
 * help: the one place that defines ombc's commands and the text of each
 * option. From these tables come every `--help` (and `ombc help COMMAND`),
 * the general usage, the man page (`ombc help --man`, installed as ombc.1)
 * and the README's command reference (`ombc help --markdown`, checked
 * against README.md by test_cli), and the getopt_long tables the commands
 * parse with, so an option cannot be documented in one and parsed
 * differently in another. Called from the coordinator's main thread; no
 * state.
 */
#ifndef OMBC_CLI_HELP_H
#define OMBC_CLI_HELP_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/** One option of a command. */
struct ombc_help_option {
    int id;                 /**< getopt_long's val; 0: planned, parsed by nobody yet */
    const char *short_name; /**< "d" for -d (OMB's "wf" for -wf); NULL: none */
    const char *long_name;  /**< "drivers" for --drivers; NULL: none */
    const char *arg;        /**< the argument's name; NULL: takes none */
    const char *help;       /**< what --help prints */
    const char *more;       /**< what the man page and README add after help; NULL */
};

/** One command: `ombc NAME SYNOPSIS`. */
struct ombc_help_command {
    const char *name;        /**< "run", "hist decode" */
    const char *synopsis;    /**< after the name */
    const char *summary;     /**< one line, for the overview */
    const char *description; /**< paragraphs (separated by "\n") for --help and man */
    const struct ombc_help_option *options; /**< ended by an entry without help */
};

/** @brief The command named name ("run", "hist summary"), or NULL. */
const struct ombc_help_command *ombc_help_command(const char *name);

/**
 * @brief Prints the help of the command name to out: usage line,
 * description, options (planned ones last, marked as such). A name that is
 * a group ("hist") prints each of its commands.
 * @return 0, or -1 when no command has that name (nothing printed).
 */
int ombc_help_usage(FILE *out, const char *name);

/** @brief Prints the overview of every command (ombc --help). */
void ombc_help_overview(FILE *out);

/** @brief Prints the man page ombc.1 (roff, man macros). */
void ombc_help_man(FILE *out);

/** @brief Prints the README's command reference (Markdown): the synopsis
 *  block and an option table per command. */
void ombc_help_markdown(FILE *out);

/**
 * @brief Fills getopt_long's tables from the command's options (planned
 * ones left out): longopts ends with a zero entry, shortopts starts with
 * prefix (e.g. ":" or "").
 * @return 0, or -1 when a buffer is too small or the command is unknown.
 */
int ombc_help_getopt(const char *name, const char *prefix, struct option *longopts,
                     size_t nlong, char *shortopts, size_t nshort);

/**
 * @brief The first planned option (OMB's, ombc has yet to do) among the
 * command's arguments, before any "--", skipping the values of options that
 * take one: e.g. "-wf" for `ombc run -wf workers.yaml w.yaml`.
 * Both "--workers URL" and "--workers=URL" count.
 * @return that option's entry, or NULL.
 */
const struct ombc_help_option *ombc_help_planned(const char *name, int argc, char *const *argv);

#endif
