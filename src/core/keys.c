/*
 * keys: the process-wide key pool (the distributor is inline in keys.h).
 */
#include "core/keys.h"

void ombc_key_pool_init(struct ombc_key_pool *pool, struct ombc_rng *r) {
    for (int i = 0; i < OMBC_KEY_POOL_SIZE; i++)
        ombc_random_string(r, 7, pool->keys[i]);
}
