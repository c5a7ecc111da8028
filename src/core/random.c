/*
 * random: seeding and OMB's base64url random strings.
 */
#include "core/random.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/base64.h"

static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void ombc_rng_seed(struct ombc_rng *r, uint64_t seed) {
    uint64_t x = seed;
    if (x == 0 && getrandom(&x, sizeof(x), 0) != (ssize_t)sizeof(x)) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30);
    }
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

void ombc_rng_bytes(struct ombc_rng *r, void *buf, size_t len) {
    unsigned char *p = buf;
    while (len > 0) {
        uint64_t v = ombc_rng_next(r);
        size_t n = len < sizeof(v) ? len : sizeof(v);
        memcpy(p, &v, n);
        p += n;
        len -= n;
    }
}

void ombc_random_string(struct ombc_rng *r, size_t nbytes, char *out) {
    unsigned char b[64];
    if (nbytes > sizeof(b))
        nbytes = sizeof(b);
    ombc_rng_bytes(r, b, nbytes);
    ombc_base64_encode(b, nbytes, out, OMBC_BASE64_URL);
}
