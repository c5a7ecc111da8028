/*
 * kafka_names: the Kafka driver's names, shared by its table (kafka.c) and
 * the table that stands for it when it is not built (kafka_absent.c).
 */
#ifndef OMBC_DRIVER_KAFKA_NAMES_H
#define OMBC_DRIVER_KAFKA_NAMES_H

#define OMBC_KAFKA_DRIVER_NAME "kafka"
/** OMB's Kafka driverClass. */
#define OMBC_KAFKA_DRIVER_CLASS "io.openmessaging.benchmark.driver.kafka.KafkaBenchmarkDriver"

#endif
