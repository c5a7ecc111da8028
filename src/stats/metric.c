/*
 * metric: names and histogram parameters of the four metrics (metric.h).
 */
#include "stats/metric.h"

/* Per metric, in enum order (the asserts catch a metric left out). */
static const int64_t highest[] = {OMBC_PUBLISH_HIGHEST, OMBC_PUBLISH_HIGHEST, OMBC_E2E_HIGHEST,
                                  OMBC_PUBLISH_HIGHEST};
static const char *const names[] = {"publish-latency", "publish-delay", "end-to-end",
                                    "publish-response-time"};
_Static_assert(sizeof(highest) / sizeof(highest[0]) == OMBC_METRIC_COUNT, "one per metric");
_Static_assert(sizeof(names) / sizeof(names[0]) == OMBC_METRIC_COUNT, "one per metric");

const char *ombc_metric_name(enum ombc_metric m) {
    return m >= 0 && m < OMBC_METRIC_COUNT ? names[m] : "unknown";
}

int64_t ombc_metric_highest(enum ombc_metric m) {
    return m >= 0 && m < OMBC_METRIC_COUNT ? highest[m] : OMBC_PUBLISH_HIGHEST;
}

int ombc_metric_hist_init(struct ombc_hist *h, enum ombc_metric m) {
    return ombc_hist_init(h, 1, ombc_metric_highest(m), OMBC_HIST_DIGITS);
}
