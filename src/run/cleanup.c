/*
 * cleanup: deletes the topics earlier runs left behind (see cleanup.h).
 */
#include "run/cleanup.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "driver/driver.h"

#define LOGGER "Cleanup"
#define INDEX_DIGITS 7 /* OMB: "%s-%07d-%s" */
#define SUFFIX_CHARS 7 /* base64url of 5 random bytes */

static bool base64url_char(char c) {
    return isalnum((unsigned char)c) || c == '-' || c == '_';
}

bool ombc_cleanup_matches(const char *topic, const char *prefix) {
    size_t n = strlen(prefix);
    if (strncmp(topic, prefix, n) != 0 || topic[n] != '-')
        return false;
    const char *p = topic + n + 1;
    for (int i = 0; i < INDEX_DIGITS; i++, p++)
        if (!isdigit((unsigned char)*p))
            return false;
    if (*p++ != '-')
        return false;
    for (int i = 0; i < SUFFIX_CHARS; i++, p++)
        if (!base64url_char(*p))
            return false;
    return *p == '\0';
}

static void free_list(char **names, int count) {
    for (int i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

int ombc_cleanup_topics(const struct ombc_driver_conf *conf, const char *prefix, bool dry_run,
                        int *found, bool *connected, char *errstr, size_t errstr_size) {
    *found = 0;
    *connected = false;
    const struct ombc_driver_ops *drv = ombc_driver_find(conf, errstr, errstr_size);
    if (!drv)
        return OMBC_ENOENT;
    if (!prefix)
        prefix = drv->topic_prefix;
    /* A broker this driver file hosts (the embedded Kafka) lives only while
     * a run does: started here it would be a fresh one, empty. Say so
     * rather than report 0 topics found as if a broker had been searched. */
    if (drv->fixture_start) {
        struct ombc_fixture *fixture = NULL;
        struct ombc_driver_conf client = {0};
        int frc = drv->fixture_start(conf, &fixture, &client, errstr, errstr_size);
        if (frc)
            return frc;
        if (fixture) {
            drv->fixture_stop(fixture);
            ombc_driver_conf_fini(&client);
            OMBC_INFO(LOGGER, "%s: the embedded broker (driver %s) lives only while a run "
                      "does and keeps nothing between runs: no topics to clean up (give -d a "
                      "driver file of a real broker)", conf->path, drv->name);
            return 0;
        }
    }
    /* A driver that cannot list topics (the null driver: no broker) has
     * none to find. */
    struct ombc_admin *admin = NULL;
    int rc = drv->list_topics ? drv->admin_open(conf, NULL, &admin, errstr, errstr_size) : 0;
    if (rc)
        return rc;
    *connected = true;
    char **names = NULL;
    int count = 0;
    if (drv->list_topics)
        rc = drv->list_topics(admin, &names, &count, errstr, errstr_size);
    int kept = 0;
    for (int i = 0; rc == 0 && i < count; i++) {
        if (ombc_cleanup_matches(names[i], prefix)) {
            OMBC_INFO(LOGGER, "%s %s", dry_run ? "Would delete" : "Deleting", names[i]);
            char *tmp = names[kept]; /* gather the matches at the front */
            names[kept++] = names[i];
            names[i] = tmp;
        }
    }
    *found = kept;
    if (rc == 0 && kept > 0 && !dry_run && !drv->delete_topics)
        rc = ombc_errf(errstr, errstr_size, OMBC_EINVAL, "%s: driver '%s' cannot delete topics",
                       conf->path, drv->name);
    else if (rc == 0 && kept > 0 && !dry_run)
        rc = drv->delete_topics(admin, (const char *const *)names, kept, NULL, 0, errstr,
                                errstr_size);
    if (rc == 0)
        OMBC_INFO(LOGGER, "%d topic(s) named %s-NNNNNNN-XXXXXXX %s on %s", kept, prefix,
                  dry_run ? "found" : "deleted", conf->path);
    free_list(names, count);
    if (admin)
        drv->admin_close(admin);
    return rc;
}
