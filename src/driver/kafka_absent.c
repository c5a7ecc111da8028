/*
 * kafka_absent: the Kafka driver's table in a build without it
 * (-DOMBC_WITH_KAFKA=OFF; CMake compiles this file instead of kafka*.c):
 * its names only, so that a Kafka driver file is answered "known but not
 * built" rather than "not supported" (driver/registry.c). No librdkafka.
 */
#include <stddef.h>

#include "driver/driver.h"
#include "driver/kafka_names.h"

static const char *const kafka_classes[] = {OMBC_KAFKA_DRIVER_CLASS, NULL};

const struct ombc_driver_ops ombc_kafka_driver = {
    .name = OMBC_KAFKA_DRIVER_NAME,
    .driver_classes = kafka_classes,
    .not_built = "OMBC_WITH_KAFKA",
};
