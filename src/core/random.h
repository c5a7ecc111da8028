/*
 * random: the random numbers ombc needs. A small per-thread generator
 * (xoshiro256**, seeded from getrandom) for the per-message path, and OMB's
 * random strings: N random bytes as base64url without padding, used for
 * topic and subscription names and for the message key pool.
 */
#ifndef OMBC_CORE_RANDOM_H
#define OMBC_CORE_RANDOM_H

#include <stddef.h>
#include <stdint.h>

struct ombc_rng {
    uint64_t s[4];
};

/** @brief Seeds from the kernel's random source (or seed when non-zero, for
 *  reproducible tests). */
void ombc_rng_seed(struct ombc_rng *r, uint64_t seed);

static inline uint64_t ombc_rng_rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

/** @brief Next 64 random bits. */
static inline uint64_t ombc_rng_next(struct ombc_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = ombc_rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ombc_rng_rotl(s[3], 45);
    return result;
}

/** @brief Integer in [0, n), n > 0 (modulo bias below 2^-32 for n < 2^32). */
static inline uint64_t ombc_rng_below(struct ombc_rng *r, uint64_t n) {
    return ombc_rng_next(r) % n;
}

/** @brief Fills buf with len random bytes. */
void ombc_rng_bytes(struct ombc_rng *r, void *buf, size_t len);

/**
 * @brief base64url without padding of nbytes random bytes into out, which
 * must hold 4*ceil(nbytes/3)+1 characters; OMB uses 5 bytes (7 characters)
 * for names and 7 bytes (10 characters) for keys.
 */
void ombc_random_string(struct ombc_rng *r, size_t nbytes, char *out);

#endif
