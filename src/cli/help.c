/*
 * help: ombc's commands and options, each text written once (the tables
 * below), and the printers that make --help, the overview, the man page and
 * the README's command reference from them. Texts are plain ASCII; `code`
 * in backquotes is shown as is by --help and the README, in bold by the man
 * page. A command's getopt_long tables are built from the same entries.
 */
#include "cli/help.h"

#include <stdbool.h>
#include <string.h>

#include "cli/inputs.h"
#include "worker/agent.h"

#define STR_(x) #x
#define STR(x) STR_(x)

#define WIDTH 80      /* --help wraps at this column */
#define OPT_COLUMN 29 /* where an option's text starts in --help */

/* An option's id is what getopt_long returns for it: its short letter, or
 * for a long-only option a letter its command's switch uses (no short
 * option then, since short_name is NULL). */

#define OPT_DRIVERS                                                                              \
    {'d', "d", "drivers", "FILES",                                                             \
     "comma-separated OMB driver files (default: the embedded Kafka, "                          \
     OMBC_INPUTS_DEFAULT_DRIVER ")",                                                            \
     "Kafka driver files (real Kafka through librdkafka, or the embedded Kafka with "           \
     "`embeddedBrokers`) and `drivers/null.yaml`, the null driver, are supported; OMB's other " \
     "drivers are not yet."}
#define OPT_HELP {'h', "h", "help", NULL, "print this help and exit", NULL}
#define OPT_END {0, NULL, NULL, NULL, NULL, NULL}

static const struct ombc_help_option run_options[] = {
    OPT_DRIVERS,
    {'o', "o", "output", "FILE",
     "result file (default: <workload file>-<driver name>-<yyyy-MM-dd-HH-mm-ss>.json in the "
     "working directory)",
     "Its directory must exist and be writable: that is checked before anything starts. With "
     "several workloads or drivers each result overwrites the previous one, as in OMB."},
    {'a', NULL, "agents", "N", "agent processes (default: online CPUs)",
     "Producers and consumers are assigned round-robin, the rate is split among the agents that "
     "have producers. More agents than online CPUs is warned about: each agent runs a load "
     "thread that spins before each send, an ack thread and a consumer thread, so agents beyond "
     "the CPU count take turns on the CPUs and every phase takes longer than asked."},
    {'r', NULL, "report-interval", "S",
     "seconds between period lines (default: 10, as OMB)", NULL},
    {'l', NULL, "hlog", "DIR",
     "write HdrHistogram interval logs (.hlog) of the four latencies (publish latency, publish "
     "delay, end-to-end latency, publish response time) to DIR, one interval per period, named "
     "after the result file",
     "DIR is made if missing, before anything starts. See docs/HISTOGRAMS.md for opening them "
     "in HdrHistogram's tools."},
    {'R', NULL, "agent-restarts", "N",
     "restart an agent that dies up to N times per run (default: 3)",
     "It starts again with the same producers and consumers; each restart is logged and counted "
     "in the result's `agentRestarts`. After the last one, the next death ends the run with the "
     "periods measured so far written, marked `\"incomplete\": true`."},
    {'C', NULL, "clean-start", NULL,
     "first delete the topics earlier runs left on each driver's broker, as `ombc cleanup` does",
     NULL},
    {'D', NULL, "check-delivery", NULL,
     "after the test, stop publishing and wait until every acknowledged message was received "
     "once per subscription; exit 1 if some never arrive",
     "An ombc extension. The wait ends when the consumers have everything or 10 s pass with "
     "nothing new. The counts go to the result's `deliveryCheck`. Counts only: a duplicate can "
     "hide a loss."},
    {'M', NULL, "metrics-port", "PORT",
     "serve Prometheus metrics (OMB's benchmark_* names) at http://0.0.0.0:PORT/metrics while "
     "running",
     "Every interface, as OMB's worker `--stats-port`. Counters `benchmark_producer_messages_"
     "sent`, `benchmark_producer_bytes_sent`, `benchmark_producer_message_send_errors`, "
     "`benchmark_consumer_messages_recv`, `benchmark_consumer_bytes_recv` (totals since the run "
     "started; no `_total` suffix, as OMB, which promtool's lint notes) and summaries `benchmark_producer_produce_latency`, "
     "`benchmark_producer_producer_delay_latency`, `benchmark_consumer_e2e_latency` in ms "
     "(quantiles of the last 60 to 120 s, count and sum since the start). ombc's additions are "
     "named `benchmark_ombc_*`: publish response time, the rate the agents publish at, agents, "
     "end-to-end values not recorded. A port in use is an error before anything runs (exit 2)."},
    {'S', NULL, "spin-us", "US",
     "the rate limiter sleeps until US microseconds before a send is due, then spins (default: "
     STR(OMBC_DEFAULT_SPIN_US) "; 0: sleep only, at the cost of the sleep's wake-up delay)",
     "The spin is never more than half of the interval between an agent's sends, so at least "
     "half of the CPU stays free at any rate. The default covers `clock_nanosleep`'s late "
     "wake-ups on the machines measured in docs/PERFORMANCE.md; on a machine shared with the "
     "broker, `--spin-us 0` leaves it all of the CPU at the cost of tens of microseconds of "
     "publish delay."},
    {'P', NULL, "no-payload-stamp", NULL,
     "send payloads unchanged and uncopied: end-to-end latency in whole ms from the broker's "
     "timestamp, as OMB (default: each payload of 16 bytes or more carries its send time, for "
     "microsecond resolution)",
     "Stamping costs a copy of each payload in the client: about a fifth of the throughput at "
     "1.5 M msg/s of 1 KB on the embedded Kafka (docs/PERFORMANCE.md)."},
    {'F', NULL, "log-format", "F",
     "plain (default: OMB's lines) or json (one JSON object per line on stdout for every period "
     "and event)",
     "plain adds, on a terminal, a status line at the bottom: phase, a bar with elapsed and "
     "remaining time, the last second's publish and consume rates, backlog, the last period's "
     "p99 publish latency. json writes every period, phase change, warning, agent restart and "
     "the result written, with the period line's figures as numbers."},
    {'q', "q", "quiet", NULL, "print only errors and, at the end, the result file's path", NULL},
    {'c', "c", "csv", "DIR",
     "convert the result files in DIR to CSV (results-<epoch>.csv in the working directory) "
     "and exit, as OMB's --csv",
     NULL},
    OPT_HELP,
    /* OMB's distributed mode (its Benchmark's -w, -wf, -x): named, refused. */
    {0, "w", "workers", "URLS", "comma-separated URLs of OMB workers to run the load on", NULL},
    {0, "wf", "workers-file", "FILE", "a YAML file listing OMB workers' URLs", NULL},
    {0, "x", "extra", NULL, "allocate extra consumer workers", NULL},
    OPT_END,
};

static const struct ombc_help_option validate_options[] = {OPT_DRIVERS, OPT_HELP, OPT_END};

static const struct ombc_help_option calibrate_options[] = {
    {'a', NULL, "agents", "N", "agents of the second measurement (default: online CPUs)",
     NULL},
    {'s', NULL, "seconds", "S", "measured seconds of each (default: 5, after 1 s warm-up)",
     NULL},
    OPT_HELP,
    OPT_END,
};

static const struct ombc_help_option help_only[] = {OPT_HELP, OPT_END};

static const struct ombc_help_option summary_options[] = {
    {'i', "i", "intervals", NULL, "also print one line per interval", NULL},
    OPT_HELP,
    OPT_END,
};

static const struct ombc_help_option chart_options[] = {
    {'o', "o", "output", "FILE",
     "the report (default: the first result's name, .json replaced by .html)", NULL},
    {'t', "t", "title", "TEXT", "the page heading (default: from the workload names)", NULL},
    OPT_HELP,
    OPT_END,
};

static const struct ombc_help_option cleanup_options[] = {
    OPT_DRIVERS,
    {'p', NULL, "prefix", "PREFIX",
     "topic prefix (default: the driver's, e.g. test-topic)", NULL},
    {'n', NULL, "dry-run", NULL, "list the topics, delete nothing", NULL},
    OPT_HELP,
    OPT_END,
};

static const struct ombc_help_option help_options[] = {
    {'m', NULL, "man", NULL, "print the man page, ombc.1 (roff)", NULL},
    {'k', NULL, "markdown", NULL,
     "print the command reference of README.md (Markdown)", NULL},
    OPT_END,
};

static const struct ombc_help_command commands[] = {
    {"run", "[-d DRIVER.yaml[,...]] [-o OUT.json] [--agents N] [options] WORKLOAD.yaml...",
     "run each workload with each driver and write OMB's result files",
     "Runs each workload (sorted by file name) with each driver (in -d order) on agent "
     "processes on this machine, printing OMB's period lines and writing one OMB result file "
     "per pair; a failing pair is reported and the others still run. Every workload and driver "
     "file is checked first, and so are the places results go: bad input is one line on stderr "
     "and exit status 2, before anything starts.\n"
     "Exit status: 0 all runs succeeded, 1 a run failed, 2 bad input (usage, a workload or "
     "driver file, a result path, a broker that cannot be reached), 128+signal when "
     "interrupted.",
     run_options},
    {"validate", "[-d DRIVER.yaml[,...]] WORKLOAD.yaml...", "check the files as run does; run nothing",
     "Checks the workload and driver files as `ombc run` does before it starts, payload files "
     "included, and runs nothing: no agent, no broker connection.\n"
     "Prints FILE: ok for each good file; each problem goes to stderr as FILE[:LINE:COL]: "
     "message. Exit status 0 when every file is good, else 2.",
     validate_options},
    {"calibrate", "[--agents N] [--seconds S]", "ombc's own ceiling on this machine",
     "Publishes through the null driver (no broker) as fast as possible with 1 agent, then N, "
     "and prints ombc's own ceiling on this machine: the rate above which a benchmark measures "
     "ombc rather than the broker.",
     calibrate_options},
    {"hist decode", "", "base64 histograms on stdin: count, min, mean, max, percentiles",
     "Reads base64 histograms on stdin, one per line (quotes and a comma around a value pasted "
     "from JSON are ignored), and prints the count, min, mean, max and percentiles of each. "
     "Values are printed as recorded (ombc records microseconds).",
     help_only},
    {"hist summary", "[-i] FILE.hlog...", "an interval log's figures, per tag (and per interval)",
     "Prints the count, min, mean, max and percentiles of each tag of HdrHistogram interval "
     "logs (ombc's or any HdrHistogram tool's), added up over their intervals. Values are "
     "printed as recorded (ombc records microseconds).",
     summary_options},
    {"csv", "DIR", "OMB's --csv: the results in DIR to results-<epoch>.csv",
     "Converts every result file (*.json) in DIR to one CSV table of the rates, "
     "results-<epoch seconds>.csv in the working directory, as OMB's --csv does, and prints "
     "its name.",
     help_only},
    {"chart", "[-o REPORT.html] [-t TEXT] RESULT.json...",
     "one self-contained HTML page of charts, runs side by side",
     "Writes one self-contained HTML page (no network needed) charting the results side by "
     "side, as OMB's create_charts.py: latency quantiles, rates, backlog and p99 publish "
     "latency over time, and a table of headline numbers. Prints its path.",
     chart_options},
    {"compare", "A.json B.json", "headline numbers side by side with their ratio B/A",
     "Prints the headline numbers of two results side by side, with B/A.", help_only},
    {"cleanup", "[-d DRIVER.yaml[,...]] [--prefix PREFIX] [--dry-run]",
     "delete the topics killed runs left behind",
     "Deletes the topics that earlier runs left behind on each driver's broker: those named "
     "PREFIX-NNNNNNN-XXXXXXX, as ombc and OMB name their topics.",
     cleanup_options},
    {"help", "[COMMAND]", "a command's help, or this overview",
     "Prints COMMAND's help, as `ombc COMMAND --help` does, or the overview of every command.",
     help_options},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct ombc_help_command *ombc_help_command(const char *name) {
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static bool planned(const struct ombc_help_option *o) {
    return o->id == 0;
}

/* Prints text from column col, wrapping at WIDTH, continuation lines (and
 * each paragraph after a '\n') indented by indent. Ends with a newline. */
static void wrap(FILE *out, const char *text, int col, int indent) {
    const char *p = text;
    bool line_empty = true;
    while (*p) {
        if (*p == '\n') {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
            line_empty = true;
            p++;
            continue;
        }
        if (*p == ' ') {
            p++;
            continue;
        }
        int len = (int)strcspn(p, " \n");
        if (!line_empty && col + 1 + len > WIDTH) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
            line_empty = true;
        }
        if (!line_empty) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", len, p);
        col += len;
        line_empty = false;
        p += len;
    }
    fputc('\n', out);
}

/* "-d, --drivers FILES" */
static void option_label(const struct ombc_help_option *o, char *buf, size_t size) {
    snprintf(buf, size, "%s%s%s%s%s%s%s", o->short_name ? "-" : "",
             o->short_name ? o->short_name : "", o->short_name && o->long_name ? ", " : "",
             o->long_name ? "--" : "", o->long_name ? o->long_name : "", o->arg ? " " : "",
             o->arg ? o->arg : "");
}

static void print_option(FILE *out, const struct ombc_help_option *o) {
    char label[96];
    option_label(o, label, sizeof(label));
    /* a long option without a short one lines up with the long ones */
    int col = fprintf(out, "  %s%s", o->short_name ? "" : "    ", label);
    if (col > OPT_COLUMN - 2) {
        fprintf(out, "\n%*s", OPT_COLUMN, "");
    } else {
        fprintf(out, "%*s", OPT_COLUMN - col, "");
    }
    wrap(out, o->help, OPT_COLUMN, OPT_COLUMN);
}

static void print_command(FILE *out, const struct ombc_help_command *c) {
    char head[64];
    int col = snprintf(head, sizeof(head), "usage: ombc %s%s", c->name, c->synopsis[0] ? " " : "");
    fputs(head, out);
    if (c->synopsis[0])
        wrap(out, c->synopsis, col, col);
    else
        fputc('\n', out);
    fputs("  ", out);
    wrap(out, c->description, 2, 2);
    bool any_planned = false;
    for (const struct ombc_help_option *o = c->options; o->help; o++) {
        if (planned(o))
            any_planned = true;
        else
            print_option(out, o);
    }
    if (any_planned) {
        fprintf(out, "Not supported yet (OMB's distributed mode; ombc's agents run on this "
                     "machine):\n");
        for (const struct ombc_help_option *o = c->options; o->help; o++)
            if (planned(o))
                print_option(out, o);
    }
}

int ombc_help_usage(FILE *out, const char *name) {
    const struct ombc_help_command *c = ombc_help_command(name);
    if (c) {
        print_command(out, c);
        return 0;
    }
    size_t len = strlen(name);
    int found = 0;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strncmp(commands[i].name, name, len) == 0 && commands[i].name[len] == ' ') {
            if (found++)
                fputc('\n', out);
            print_command(out, &commands[i]);
        }
    }
    return found ? 0 : -1;
}

static const char overview_tail[] =
    "With no -d, the embedded Kafka (" OMBC_INPUTS_DEFAULT_DRIVER ") is used. Brokers "
    "supported today: Kafka through librdkafka (OMB's Kafka driver files), the embedded Kafka "
    "(librdkafka's mock cluster, for trying ombc) and the null driver (drivers/null.yaml: no "
    "broker, to measure ombc itself); OMB's other drivers are planned.\n"
    "`ombc help COMMAND` or `ombc COMMAND --help` prints a command's options.";

void ombc_help_overview(FILE *out) {
    fprintf(out, "ombc %s: the OpenMessaging Benchmark in C\n\n", OMBC_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const struct ombc_help_command *c = &commands[i];
        int col = fprintf(out, "%s ombc %s%s", i == 0 ? "usage:" : "      ", c->name,
                          c->synopsis[0] ? " " : "");
        wrap(out, c->synopsis, col, col);
    }
    fprintf(out, "       ombc --version\n\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fputc('\n', out);
    wrap(out, overview_tail, 0, 0);
}

/* an option's whole text, for the man page and README: help, then more */
static void full_text(const struct ombc_help_option *o, char *buf, size_t size) {
    snprintf(buf, size, "%s%s%s%s", planned(o) ? "Not supported yet (OMB's distributed mode): " : "",
             o->help, o->more ? ". " : "", o->more ? o->more : "");
}

/* text for roff: \ - and leading . ' escaped, `code` in bold */
static void roff_text(FILE *out, const char *text) {
    bool code = false, line_start = true;
    for (const char *p = text; *p; p++) {
        if (line_start && (*p == '.' || *p == '\''))
            fputs("\\&", out);
        line_start = false;
        switch (*p) {
        case '\\': fputs("\\e", out); break;
        case '-': fputs("\\-", out); break;
        case '`':
            fputs(code ? "\\fR" : "\\fB", out);
            code = !code;
            break;
        case '\n':
            fputs("\n.PP\n", out);
            line_start = true;
            break;
        default: fputc(*p, out);
        }
    }
    fputc('\n', out);
}

void ombc_help_man(FILE *out) {
    fprintf(out, ".\\\" Made by `ombc help --man` from src/cli/help.c: edit that, not this.\n"
                 ".TH OMBC 1 \"\" \"ombc %s\" \"User Commands\"\n"
                 ".SH NAME\n"
                 "ombc \\- the OpenMessaging Benchmark in C\n"
                 ".SH SYNOPSIS\n",
            OMBC_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fprintf(out, "%s.B ombc %s\n", i ? ".br\n" : "", commands[i].name);
        if (commands[i].synopsis[0])
            roff_text(out, commands[i].synopsis);
    }
    fprintf(out, ".SH DESCRIPTION\n");
    roff_text(out,
              "ombc reads OMB's own workload and driver YAML files, drives the broker at a "
              "precise rate from one agent process per core, measures publish latency, "
              "publish delay, end-to-end latency and publish response time in HDR histograms, "
              "prints OMB's period lines and writes OMB's result JSON, so OMB's tooling reads "
              "ombc's results.");
    fprintf(out, ".PP\n");
    roff_text(out, overview_tail);
    fprintf(out, ".SH COMMANDS\n");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const struct ombc_help_command *c = &commands[i];
        fprintf(out, ".SS \"ombc %s\"\n", c->name);
        roff_text(out, c->description);
        for (const struct ombc_help_option *o = c->options; o->help; o++) {
            char label[96];
            option_label(o, label + 1, sizeof(label) - 2);
            label[0] = '`';
            strcat(label, "`");
            char text[2048];
            full_text(o, text, sizeof(text));
            fprintf(out, ".TP\n");
            roff_text(out, label);
            roff_text(out, text);
        }
    }
    fprintf(out, ".SH FILES\n");
    roff_text(out, "The driver files (" OMBC_INPUTS_DEFAULT_DRIVER ", drivers/null.yaml, "
                   "drivers/kafka-embedded-faults.yaml) and workloads/quickstart.yaml are "
                   "installed in PREFIX/share/ombc. Without -d, ombc looks for "
                   OMBC_INPUTS_DEFAULT_DRIVER " in the source tree it was built from, then in "
                   "../share/ombc beside its binary, then beside its build directory, then in "
                   "the working directory.");
    fprintf(out, ".SH SEE ALSO\n"
                 "README.md and docs/ of ombc's source tree;\n"
                 "https://openmessaging.cloud/docs/benchmarks/\n");
}

/* a Markdown table cell: | escaped, and outside `code` also < and * (an
 * HTML tag, emphasis) */
static void md_cell(FILE *out, const char *text) {
    bool code = false;
    for (const char *p = text; *p; p++) {
        if (*p == '`')
            code = !code;
        if (*p == '|' || (!code && (*p == '<' || *p == '*')))
            fputc('\\', out);
        fputc(*p == '\n' ? ' ' : *p, out);
    }
}

void ombc_help_markdown(FILE *out) {
    fprintf(out, "| Command | What it does |\n|---|---|\n");
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fprintf(out, "| `ombc %s%s", commands[i].name, commands[i].synopsis[0] ? " " : "");
        md_cell(out, commands[i].synopsis);
        fputs("` | ", out);
        md_cell(out, commands[i].summary);
        fputs(" |\n", out);
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const struct ombc_help_command *c = &commands[i];
        bool any = false;
        for (const struct ombc_help_option *o = c->options; o->help; o++) {
            if (o->id == 'h')
                continue;
            if (!any)
                fprintf(out, "\nOptions of `ombc %s`:\n\n| Option | Meaning |\n|---|---|\n",
                        c->name);
            any = true;
            char label[96];
            option_label(o, label, sizeof(label));
            fputs("| `", out);
            md_cell(out, label);
            fputs("` | ", out);
            char text[2048];
            full_text(o, text, sizeof(text));
            md_cell(out, text);
            fputs(" |\n", out);
        }
    }
}

int ombc_help_getopt(const char *name, const char *prefix, struct option *longopts,
                     size_t nlong, char *shortopts, size_t nshort) {
    const struct ombc_help_command *c = ombc_help_command(name);
    size_t nl = 0, ns = strlen(prefix);
    if (!c || ns >= nshort)
        return -1;
    memcpy(shortopts, prefix, ns);
    for (const struct ombc_help_option *o = c->options; o->help; o++) {
        if (planned(o))
            continue;
        if (o->long_name) {
            if (nl + 1 >= nlong)
                return -1;
            longopts[nl++] = (struct option){o->long_name,
                                             o->arg ? required_argument : no_argument, NULL, o->id};
        }
        if (o->short_name) {
            if (ns + 3 > nshort)
                return -1;
            shortopts[ns++] = o->short_name[0];
            if (o->arg)
                shortopts[ns++] = ':';
        }
    }
    longopts[nl] = (struct option){NULL, 0, NULL, 0};
    shortopts[ns] = '\0';
    return 0;
}

/* arg names o: -s, --long, or --long=VALUE; *value_next when its value is
 * the next argument */
static bool names(const struct ombc_help_option *o, const char *arg, bool *value_next) {
    *value_next = o->arg != NULL;
    if (o->short_name && arg[0] == '-' && strcmp(arg + 1, o->short_name) == 0)
        return true;
    if (!o->long_name || strncmp(arg, "--", 2) != 0)
        return false;
    size_t len = strlen(o->long_name);
    if (strncmp(arg + 2, o->long_name, len) != 0)
        return false;
    if (arg[2 + len] == '=') {
        *value_next = false;
        return o->arg != NULL;
    }
    return arg[2 + len] == '\0';
}

const struct ombc_help_option *ombc_help_planned(const char *name, int argc, char *const *argv) {
    const struct ombc_help_command *c = ombc_help_command(name);
    if (!c)
        return NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        for (const struct ombc_help_option *o = c->options; o->help; o++) {
            bool value_next;
            if (!names(o, argv[i], &value_next))
                continue;
            if (planned(o))
                return o;
            if (value_next)
                i++; /* skip the option's value */
            break;
        }
    }
    return NULL;
}
