/*
 * kafka_faults: the embedded Kafka's fault schedule, the Kafka driver-file
 * extension key `embeddedFaults` (only with `embeddedBrokers`): a list of
 * steps, each one action of librdkafka's mock cluster at a time after the
 * cluster starts:
 *
 *   embeddedFaults:
 *     - {at: 6, broker: 1, action: down, for: 3}   # set_down, set_up 3 s later
 *     - {at: 4, action: produceErrors, error: INVALID_RECORD, count: 200}
 *     - {at: 2, broker: 2, action: rtt, ms: 50, for: 5}
 *
 * Owns parsing and checking the steps (errors as FILE:LINE:COLUMN: message,
 * from the driver file's flattened entries) and the one thread that applies
 * them to the mock cluster. Part of the Kafka driver's fixture: called by
 * kafka.c in the coordinator, at validate, fixture_start and fixture_stop.
 */
#ifndef OMBC_DRIVER_KAFKA_FAULTS_H
#define OMBC_DRIVER_KAFKA_FAULTS_H

#include <stddef.h>
#include <stdint.h>

#include "config/driver_conf.h"

struct rd_kafka_mock_cluster_s; /* librdkafka's rd_kafka_mock_cluster_t */

/** A parsed fault schedule (opaque). */
struct ombc_kafka_faults;

/**
 * @brief Reads and checks `embeddedFaults` of dc.
 * @param brokers the file's embeddedBrokers (0: a real Kafka, where any
 *        step is an error); broker ids are 1..brokers.
 * @param out the schedule, or NULL when the file has no steps; free it with
 *        ombc_kafka_faults_destroy.
 * @return 0, OMBC_EPARSE or OMBC_ERANGE ("FILE:LINE:COL: embeddedFaults[N]:
 *         ..."), OMBC_EINVAL (steps without embeddedBrokers), OMBC_ENOMEM.
 */
int ombc_kafka_faults_load(const struct ombc_driver_conf *dc, int64_t brokers,
                           struct ombc_kafka_faults **out, char *errstr, size_t errstr_size);

/**
 * @brief Starts the thread that applies the schedule to mock, its times
 * counted from now (the cluster's start). mock must outlive
 * ombc_kafka_faults_destroy. f may be NULL (nothing to do).
 * @return 0 or OMBC_EIO (no thread).
 */
int ombc_kafka_faults_start(struct ombc_kafka_faults *f, struct rd_kafka_mock_cluster_s *mock,
                            char *errstr, size_t errstr_size);

/** @brief Stops and joins the thread (steps not yet due are skipped), frees
 *  f. NULL is a no-op. */
void ombc_kafka_faults_destroy(struct ombc_kafka_faults *f);

#endif
