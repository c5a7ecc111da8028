/*
 * Unit tests for worker/command_log: what a restarted agent is told again:
 * appended commands in order, then the slots in the order first filled,
 * each with its latest command; an emptied slot replays nothing; frames are
 * copied; slot names beyond the table are refused and the command freed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "worker/command_log.h"

static cJSON *op(const char *name) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "op", name);
    return c;
}

static const char *op_at(const struct ombc_command_log *l, size_t k) {
    const struct ombc_logged_command *c = ombc_command_log_at(l, k);
    return c ? cJSON_GetObjectItem(c->cmd, "op")->valuestring : NULL;
}

static void replay_order(void **state) {
    (void)state;
    struct ombc_command_log l;
    ombc_command_log_init(&l);
    assert_null(ombc_command_log_at(&l, 0));
    static const uint8_t bytes[3] = {1, 2, 3};
    struct ombc_payload frames[2] = {{bytes, 3}, {bytes, 1}};
    assert_int_equal(ombc_command_log_add(&l, NULL, op("init"), NULL, 0), 0);
    assert_int_equal(ombc_command_log_add(&l, "load", op("start_load@1"), frames, 2), 0);
    assert_int_equal(ombc_command_log_add(&l, NULL, op("create_producers"), NULL, 0), 0);
    assert_int_equal(ombc_command_log_add(&l, "pause", op("pause"), NULL, 0), 0);
    frames[0].len = 99; /* the log keeps its own copy of the frame list */
    assert_int_equal(ombc_command_log_add(&l, "load", op("start_load@2"), frames, 1), 0);
    assert_string_equal(op_at(&l, 0), "init");
    assert_string_equal(op_at(&l, 1), "create_producers");
    assert_string_equal(op_at(&l, 2), "start_load@2"); /* load first filled before pause */
    assert_int_equal(ombc_command_log_at(&l, 2)->frame_count, 1);
    assert_int_equal(ombc_command_log_at(&l, 2)->frames[0].len, 99);
    assert_string_equal(op_at(&l, 3), "pause");
    assert_null(ombc_command_log_at(&l, 4));
    /* emptied slots replay nothing; the others keep their place */
    assert_int_equal(ombc_command_log_add(&l, "load", NULL, NULL, 0), 0);
    assert_string_equal(op_at(&l, 2), "pause");
    assert_null(ombc_command_log_at(&l, 3));
    assert_int_equal(ombc_command_log_add(&l, "never-filled", NULL, NULL, 0), 0);
    assert_null(ombc_command_log_at(&l, 3));
    ombc_command_log_clear(&l);
    assert_null(ombc_command_log_at(&l, 0));
    ombc_command_log_clear(&l); /* twice is fine */
}

static void slots_are_bounded(void **state) {
    (void)state;
    struct ombc_command_log l;
    ombc_command_log_init(&l);
    char name[16];
    for (int i = 0; i < OMBC_COMMAND_LOG_SLOTS; i++) {
        snprintf(name, sizeof(name), "s%d", i);
        assert_int_equal(ombc_command_log_add(&l, name, op(name), NULL, 0), 0);
    }
    assert_int_equal(ombc_command_log_add(&l, "one-too-many", op("x"), NULL, 0), OMBC_ERANGE);
    assert_int_equal(ombc_command_log_add(&l, "s0", op("s0-again"), NULL, 0), 0);
    assert_string_equal(op_at(&l, 0), "s0-again");
    for (int i = 0; i < 100; i++) /* appended ones grow as needed */
        assert_int_equal(ombc_command_log_add(&l, NULL, op("a"), NULL, 0), 0);
    assert_string_equal(op_at(&l, 99), "a");
    assert_string_equal(op_at(&l, 100), "s0-again");
    ombc_command_log_clear(&l);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replay_order),
        cmocka_unit_test(slots_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
