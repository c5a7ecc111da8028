/*
 * agent_stats: layout, creation and mapping of an agent's shared stats block
 * (a memfd). Layout: a header page (magic, version, counters), then the
 * counts of the four histograms, each page-aligned. Pages never written
 * stay unallocated, so the block costs only the buckets actually used.
 */
#include "stats/agent_stats.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"

#define STATS_MAGIC 0x6f6d6263535441ULL /* "ombcSTA" */
#define STATS_VERSION 5 /* 4: a fourth histogram, publish response time; 5: offset_resets */
#define PAGE 4096

struct ombc_agent_stats_shm {
    uint64_t magic;
    uint32_t version;
    uint32_t header_size;
    uint64_t total_size;
    uint64_t hist_offset[OMBC_METRIC_COUNT];
    struct ombc_agent_counters counters;
    struct ombc_index_range ranges[OMBC_METRIC_COUNT];
};

static size_t round_page(size_t n) {
    return (n + PAGE - 1) / PAGE * PAGE;
}

/* Offsets of the counts arrays and the block's size. */
static size_t layout(uint64_t offsets[OMBC_METRIC_COUNT]) {
    size_t off = round_page(sizeof(struct ombc_agent_stats_shm));
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        offsets[m] = off;
        off += round_page(ombc_hist_counts_bytes(1, ombc_metric_highest(m), OMBC_HIST_DIGITS));
    }
    return off;
}

static int map_block(struct ombc_agent_stats *s, int fd, size_t size, char *errstr,
                     size_t errstr_size) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "mmap stats block: %s", strerror(errno));
    memset(s, 0, sizeof(*s));
    s->shm = p;
    s->size = size;
    s->counters = &s->shm->counters;
    s->ranges = s->shm->ranges;
    return 0;
}

static void bind_histograms(struct ombc_agent_stats *s) {
    for (int m = 0; m < OMBC_METRIC_COUNT; m++)
        ombc_hist_init_at(&s->hist[m], 1, ombc_metric_highest(m), OMBC_HIST_DIGITS,
                          (int64_t *)((char *)s->shm + s->shm->hist_offset[m]));
}

int ombc_agent_stats_create(struct ombc_agent_stats *s, int *fd, char *errstr,
                            size_t errstr_size) {
    uint64_t offsets[OMBC_METRIC_COUNT];
    size_t size = layout(offsets);
    int f = memfd_create("ombc-agent-stats", MFD_CLOEXEC);
    if (f < 0)
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "memfd_create: %s", strerror(errno));
    if (ftruncate(f, (off_t)size) != 0) {
        int e = errno;
        close(f);
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "ftruncate stats block: %s", strerror(e));
    }
    int rc = map_block(s, f, size, errstr, errstr_size);
    if (rc != 0) {
        close(f);
        return rc;
    }
    s->shm->version = STATS_VERSION;
    s->shm->header_size = sizeof(struct ombc_agent_stats_shm);
    s->shm->total_size = size;
    memcpy(s->shm->hist_offset, offsets, sizeof(offsets));
    for (int m = 0; m < OMBC_METRIC_COUNT; m++) {
        s->shm->ranges[m].lo = INT64_MAX;
        s->shm->ranges[m].hi = -1;
    }
    s->shm->magic = STATS_MAGIC;
    bind_histograms(s);
    *fd = f;
    return 0;
}

int ombc_agent_stats_attach(struct ombc_agent_stats *s, int fd, char *errstr,
                            size_t errstr_size) {
    uint64_t offsets[OMBC_METRIC_COUNT];
    size_t size = layout(offsets);
    struct stat st;
    if (fstat(fd, &st) != 0)
        return ombc_errf(errstr, errstr_size, OMBC_EIO, "stats fd %d: %s", fd, strerror(errno));
    if ((size_t)st.st_size != size)
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                         "stats fd %d: size %lld, expected %zu", fd, (long long)st.st_size, size);
    int rc = map_block(s, fd, size, errstr, errstr_size);
    if (rc != 0)
        return rc;
    if (s->shm->magic != STATS_MAGIC || s->shm->version != STATS_VERSION ||
        s->shm->header_size != sizeof(struct ombc_agent_stats_shm) ||
        memcmp(s->shm->hist_offset, offsets, sizeof(offsets)) != 0) {
        ombc_agent_stats_detach(s);
        return ombc_errf(errstr, errstr_size, OMBC_EPARSE,
                         "stats fd %d: not an ombc stats block of this version", fd);
    }
    bind_histograms(s);
    return 0;
}

void ombc_agent_stats_detach(struct ombc_agent_stats *s) {
    if (!s || !s->shm)
        return;
    for (int m = 0; m < OMBC_METRIC_COUNT; m++)
        ombc_hist_fini(&s->hist[m]);
    munmap(s->shm, s->size);
    memset(s, 0, sizeof(*s));
}
