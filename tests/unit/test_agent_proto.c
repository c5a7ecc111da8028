/*
 * Unit tests for worker/agent_proto: frames over a socket pair, as between
 * the coordinator and an agent: round trips (JSON and raw, empty and large),
 * a silent peer is a timeout, a closed peer is OMBC_EIO, an oversized
 * length is refused without allocating it, and bad JSON is OMBC_EPARSE.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/err.h"
#include "worker/agent_proto.h"

static int setup(void **state) {
    int *sv = malloc(2 * sizeof(int));
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return -1;
    *state = sv;
    return 0;
}

static int teardown(void **state) {
    int *sv = *state;
    if (sv[0] >= 0)
        close(sv[0]);
    if (sv[1] >= 0)
        close(sv[1]);
    free(sv);
    return 0;
}

static void json_round_trip(void **state) {
    int *sv = *state;
    cJSON *cmd = cJSON_CreateObject();
    cJSON_AddStringToObject(cmd, "op", "start_load");
    cJSON_AddNumberToObject(cmd, "rate", 1234.5);
    assert_int_equal(ombc_frame_write_json(sv[0], cmd), 0);
    cJSON_Delete(cmd);
    cJSON *got = NULL;
    assert_int_equal(ombc_frame_read_json(sv[1], &got, 1000), 0);
    assert_string_equal(cJSON_GetObjectItem(got, "op")->valuestring, "start_load");
    assert_true(cJSON_GetObjectItem(got, "rate")->valuedouble == 1234.5);
    cJSON_Delete(got);
}

/* A payload larger than the socket buffer: the writer blocks until the
 * reader drains it, so it writes from a thread. */
struct big {
    int fd;
    uint8_t *data;
    size_t len;
    int rc;
};

static void *write_big(void *p) {
    struct big *b = p;
    b->rc = ombc_frame_write(b->fd, b->data, b->len);
    if (b->rc == 0)
        b->rc = ombc_frame_write(b->fd, "", 0);
    return NULL;
}

static void raw_frames_large_and_empty(void **state) {
    int *sv = *state;
    struct big b = {.fd = sv[0], .len = 3u << 20};
    b.data = malloc(b.len);
    for (size_t i = 0; i < b.len; i++)
        b.data[i] = (uint8_t)(i * 7);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, write_big, &b), 0);
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(ombc_frame_read(sv[1], &buf, &len, 5000), 0);
    assert_int_equal(len, b.len);
    assert_memory_equal(buf, b.data, b.len);
    assert_int_equal(buf[len], '\0');
    free(buf);
    assert_int_equal(ombc_frame_read(sv[1], &buf, &len, 5000), 0);
    assert_int_equal(len, 0);
    free(buf);
    pthread_join(t, NULL);
    assert_int_equal(b.rc, 0);
    free(b.data);
}

static void silent_peer_times_out(void **state) {
    int *sv = *state;
    char *buf = NULL;
    size_t len;
    assert_int_equal(ombc_frame_read(sv[1], &buf, &len, 50), OMBC_ETIMEDOUT);
    assert_null(buf);
}

static void closed_peer_is_eio(void **state) {
    int *sv = *state;
    close(sv[0]);
    sv[0] = -1;
    char *buf = NULL;
    size_t len;
    assert_int_equal(ombc_frame_read(sv[1], &buf, &len, 1000), OMBC_EIO);
    assert_int_equal(ombc_frame_write(sv[1], "x", 1), OMBC_EIO);
}

static void oversized_length_is_refused(void **state) {
    int *sv = *state;
    uint8_t header[4] = {0xff, 0xff, 0xff, 0xff}; /* 4 GiB - 1, above OMBC_FRAME_MAX */
    assert_int_equal(write(sv[0], header, 4), 4);
    char *buf = NULL;
    size_t len;
    assert_int_equal(ombc_frame_read(sv[1], &buf, &len, 1000), OMBC_EPARSE);
    assert_null(buf);
}

static void bad_json_is_a_parse_error(void **state) {
    int *sv = *state;
    assert_int_equal(ombc_frame_write(sv[0], "{\"op\":", 6), 0);
    cJSON *got = NULL;
    assert_int_equal(ombc_frame_read_json(sv[1], &got, 1000), OMBC_EPARSE);
    assert_null(got);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(json_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(raw_frames_large_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(silent_peer_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(closed_peer_is_eio, setup, teardown),
        cmocka_unit_test_setup_teardown(oversized_length_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_json_is_a_parse_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
