/*
 * metrics_server: `ombc run --metrics-port PORT`, Prometheus's /metrics over
 * HTTP (libmicrohttpd), live while the coordinator runs. It listens on every
 * interface (0.0.0.0), as OMB's worker does on its --stats-port.
 *
 * The server answers from a thread of its own (libmicrohttpd's), which reads
 * only the agents' shared stats blocks (with the reader side of
 * agent_stats.h: any number of readers, writers never disturbed) and its own
 * state; never the collector or anything else the coordinator's thread owns.
 * Counters are totals since the agents started: the blocks belong to the
 * pool, outlive every agent process (a restarted agent writes on into its
 * block) and are never reset, so the counters only grow. The text itself is
 * stats/prometheus.c's.
 */
#ifndef OMBC_RUN_METRICS_SERVER_H
#define OMBC_RUN_METRICS_SERVER_H

#include <stddef.h>

#include "stats/agent_stats.h"

/** Seconds between rotations of the summaries' quantile window: OMB's
 *  (BookKeeper's prometheusStatsLatencyRolloverSeconds). */
#define OMBC_METRICS_WINDOW_S 60

struct ombc_metrics_server;

/**
 * @brief Listens on 0.0.0.0:port and starts serving GET /metrics (with
 * nothing to count until a pool is attached). The summaries' quantiles cover
 * what was recorded since the rotation before last, a rotation being made at
 * the first scrape window_s or more after the previous one (with scrapes
 * more frequent than that: the last window_s to 2 window_s seconds). Called
 * by the coordinator's thread; the server's thread takes no signals.
 * @return 0 and *out, or OMBC_EIO with errstr (e.g. "--metrics-port 8081:
 *         cannot listen on 0.0.0.0:8081: Address already in use"),
 *         OMBC_EINVAL (port outside 1..65535, window_s < 1), OMBC_ENOMEM.
 */
int ombc_metrics_server_new(int port, int window_s, struct ombc_metrics_server **out,
                            char *errstr, size_t errstr_size);

/**
 * @brief Serves the agents' stats blocks blocks[0..n) (the local worker's,
 * ombc_local_worker_blocks; they must stay alive until detached), or nothing
 * when blocks is NULL. Waits for a scrape in progress to end, so after
 * attach(s, NULL, 0) returns the server no longer touches the previous
 * blocks: call it before destroying their worker. s may be NULL (no-op).
 */
void ombc_metrics_server_attach(struct ombc_metrics_server *s,
                                const struct ombc_agent_stats *const *blocks, int n);

/** @brief Stops serving (waits for the server's thread), closes the port and
 *  frees s. NULL is a no-op. */
void ombc_metrics_server_destroy(struct ombc_metrics_server *s);

#endif
