/*
 * keys: OMB's message keys (OMB-REFERENCE.md 1.1). A pool of 10,000 random
 * 10-character keys made once per process, and a distributor per producer
 * loop that picks NO_KEY, KEY_ROUND_ROBIN (index advanced before use, so the
 * first key is pool[1]) or RANDOM_NANO (pool[|(int32)nanoTime % 10000|]).
 */
#ifndef OMBC_CORE_KEYS_H
#define OMBC_CORE_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "config/workload.h"
#include "core/random.h"

#define OMBC_KEY_POOL_SIZE 10000
#define OMBC_KEY_LEN 10

struct ombc_key_pool {
    char keys[OMBC_KEY_POOL_SIZE][OMBC_KEY_LEN + 1];
};

struct ombc_key_dist {
    enum ombc_key_distributor type;
    int index;
};

/** @brief Fills the pool with random keys drawn from r. */
void ombc_key_pool_init(struct ombc_key_pool *pool, struct ombc_rng *r);

/** @brief The next key (NULL with *len 0 for NO_KEY); now_ns feeds RANDOM_NANO. */
static inline const char *ombc_key_next(struct ombc_key_dist *d, const struct ombc_key_pool *pool,
                                        int64_t now_ns, size_t *len) {
    switch (d->type) {
    case OMBC_KEY_ROUND_ROBIN:
        if (++d->index >= OMBC_KEY_POOL_SIZE)
            d->index = 0;
        *len = OMBC_KEY_LEN;
        return pool->keys[d->index];
    case OMBC_KEY_RANDOM_NANO:
        *len = OMBC_KEY_LEN;
        return pool->keys[abs((int32_t)(uint32_t)now_ns % OMBC_KEY_POOL_SIZE)];
    default:
        *len = 0;
        return NULL;
    }
}

#endif
