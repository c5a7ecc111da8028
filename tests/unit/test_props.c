/*
 * test_props: unit tests of the .properties parser and the ordered key/value
 * list (src/config/props.c): separators, comments, continuation lines,
 * escapes, override order and merging.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/props.h"
#include "core/err.h"

static void parse_ok(struct ombc_props *p, const char *text) {
    char err[256] = "";
    int rc = ombc_props_parse(p, text, err, sizeof(err));
    if (rc != 0)
        fail_msg("parse failed (%d): %s", rc, err);
}

static void assert_prop(const struct ombc_props *p, const char *key, const char *value) {
    const char *v = ombc_props_get(p, key);
    if (!v)
        fail_msg("key '%s' missing", key);
    assert_string_equal(v, value);
}

static void test_separators(void **state) {
    (void)state;
    struct ombc_props p = {0};
    parse_ok(&p, "a=1\n"
                 "b:2\n"
                 "c 3\n"
                 "d = 4\n"
                 "e\t:\t5\n"
                 "f   6\n"
                 "g\n"
                 "h=\n"
                 "  i = x y  \n"
                 "j=a=b:c\n"
                 "k :=v\n"
                 "l=\n");
    assert_int_equal(p.count, 12);
    assert_prop(&p, "a", "1");
    assert_prop(&p, "b", "2");
    assert_prop(&p, "c", "3");
    assert_prop(&p, "d", "4");
    assert_prop(&p, "e", "5");
    assert_prop(&p, "f", "6");
    assert_prop(&p, "g", "");
    assert_prop(&p, "h", "");
    assert_prop(&p, "i", "x y  "); /* trailing whitespace is kept, as in Java */
    assert_prop(&p, "j", "a=b:c");
    assert_prop(&p, "k", "=v"); /* whitespace then ':' is one separator */
    assert_string_equal(p.items[0].key, "a");
    assert_string_equal(p.items[11].key, "l");
    assert_int_equal(p.items[8].line, 9);
    ombc_props_fini(&p);
}

static void test_comments_and_blanks(void **state) {
    (void)state;
    struct ombc_props p = {0};
    parse_ok(&p, "# comment\n"
                 "! bang comment\n"
                 "\n"
                 "   \t\n"
                 "   # indented comment\n"
                 "a=1\n"
                 "#b=2\n"
                 "c=#not a comment\n"
                 "# comment ending in a backslash \\\n"
                 "d=4");
    assert_int_equal(p.count, 3);
    assert_prop(&p, "a", "1");
    assert_null(ombc_props_get(&p, "b"));
    assert_prop(&p, "c", "#not a comment");
    assert_prop(&p, "d", "4");
    assert_int_equal(p.items[0].line, 6);
    assert_int_equal(p.items[2].line, 10);
    ombc_props_fini(&p);

    parse_ok(&p, "");
    assert_int_equal(p.count, 0);
    parse_ok(&p, "\n\n# only comments\n");
    assert_int_equal(p.count, 0);
    ombc_props_fini(&p);
}

static void test_continuation(void **state) {
    (void)state;
    struct ombc_props p = {0};
    parse_ok(&p, "a=one,\\\n"
                 "    two,\\\n"
                 "\t three\n"
                 "b=x\n"
                 "c=path\\\\\n"
                 "d=1\\\n"
                 "\n"
                 "e=2\n"
                 "f=a\\\n"
                 "#b\n"
                 "g=\\\r\n"
                 "  crlf\r\n"
                 "h=end\\");
    assert_prop(&p, "a", "one,two,three");
    assert_prop(&p, "b", "x");
    assert_prop(&p, "c", "path\\"); /* an even number of backslashes does not continue */
    assert_prop(&p, "d", "1");      /* continued onto an empty line: ends there */
    assert_prop(&p, "e", "2");
    assert_prop(&p, "f", "a#b");    /* a continued line is never a comment */
    assert_prop(&p, "g", "crlf");
    assert_prop(&p, "h", "end");    /* a backslash at the end of the text is dropped */
    assert_int_equal(p.count, 8);
    assert_int_equal(p.items[0].line, 1);
    assert_int_equal(p.items[1].line, 4);
    assert_int_equal(p.items[4].line, 8);
    assert_int_equal(p.items[6].line, 11);
    assert_int_equal(p.items[7].line, 13);

    /* A key can be continued as well. */
    ombc_props_fini(&p);
    parse_ok(&p, "long\\\n   key = v\n"
                 "x\\\n\\\n  y=1\n"
                 "\\\n\n"
                 "z=2\n");
    assert_prop(&p, "longkey", "v");
    assert_prop(&p, "xy", "1");
    assert_prop(&p, "z", "2");
    assert_int_equal(p.count, 3);
    ombc_props_fini(&p);
}

static void test_escapes(void **state) {
    (void)state;
    struct ombc_props p = {0};
    parse_ok(&p, "tab=a\\tb\n"
                 "nl=a\\nb\n"
                 "cr=\\r\n"
                 "ff=\\f\n"
                 "bs=a\\\\b\n"
                 "eq=a\\=b\n"
                 "colon=\\:\n"
                 "u=\\u00e9\\u20AC!\n"
                 "emoji=\\uD83D\\uDE00\n"
                 "lone=\\uD83Dx\n"
                 "sp=\\ x\n"
                 "other=\\q\\#\n"
                 "utf8=d\xc3\xa9j\xc3\xa0\n"
                 "my\\=key=v1\n"
                 "my\\:key2:v2\n"
                 "my\\ key3 v3\n"
                 "\\#notcomment=v4\n");
    assert_prop(&p, "tab", "a\tb");
    assert_prop(&p, "nl", "a\nb");
    assert_prop(&p, "cr", "\r");
    assert_prop(&p, "ff", "\f");
    assert_prop(&p, "bs", "a\\b");
    assert_prop(&p, "eq", "a=b");
    assert_prop(&p, "colon", ":");
    assert_prop(&p, "u", "\xc3\xa9\xe2\x82\xac!");
    assert_prop(&p, "emoji", "\xf0\x9f\x98\x80");
    assert_prop(&p, "lone", "\xef\xbf\xbdx");
    assert_prop(&p, "sp", " x");
    assert_prop(&p, "other", "q#");
    assert_prop(&p, "utf8", "d\xc3\xa9j\xc3\xa0");
    assert_prop(&p, "my=key", "v1");
    assert_prop(&p, "my:key2", "v2");
    assert_prop(&p, "my key3", "v3");
    assert_prop(&p, "#notcomment", "v4");
    ombc_props_fini(&p);
}

static void test_bad_unicode_escape(void **state) {
    (void)state;
    struct ombc_props p = {0};
    char err[256] = "";
    assert_int_equal(ombc_props_parse(&p, "ok=1\nx=\\u12G4\n", err, sizeof(err)), OMBC_EPARSE);
    assert_string_equal(err, "line 2: malformed \\uXXXX encoding");
    ombc_props_fini(&p);
    assert_int_equal(ombc_props_parse(&p, "\n\ny=ab\\u12", err, sizeof(err)), OMBC_EPARSE);
    assert_string_equal(err, "line 3: malformed \\uXXXX encoding");
    ombc_props_fini(&p);
    assert_int_equal(ombc_props_parse(&p, "z=\\u0000", err, sizeof(err)), OMBC_EPARSE);
    assert_string_equal(err, "line 1: \\u0000 cannot be stored in a C string");
    ombc_props_fini(&p);
}

static void test_override_order(void **state) {
    (void)state;
    struct ombc_props p = {0};
    parse_ok(&p, "a=1\nb=2\na=3\n");
    assert_int_equal(p.count, 2);
    assert_string_equal(p.items[0].key, "a");
    assert_string_equal(p.items[0].value, "3");
    assert_int_equal(p.items[0].line, 3);
    assert_string_equal(p.items[1].key, "b");

    /* set replaces in place, appends new keys with line 0 */
    assert_int_equal(ombc_props_set(&p, "b", "9"), 0);
    assert_int_equal(ombc_props_set(&p, "c", "x"), 0);
    assert_int_equal(p.count, 3);
    assert_string_equal(p.items[1].value, "9");
    assert_int_equal(p.items[1].line, 0);
    assert_string_equal(p.items[2].key, "c");
    assert_int_equal(p.items[2].line, 0);

    /* a second parse layers over what is there */
    parse_ok(&p, "c=y\nd=z\n");
    assert_int_equal(p.count, 4);
    assert_prop(&p, "c", "y");
    assert_prop(&p, "d", "z");
    assert_null(ombc_props_get(&p, "missing"));

    /* many keys force the list to grow */
    for (int i = 0; i < 100; i++) {
        char k[16];
        snprintf(k, sizeof(k), "k%d", i);
        assert_int_equal(ombc_props_set(&p, k, k), 0);
    }
    assert_int_equal(p.count, 104);
    assert_prop(&p, "k99", "k99");
    ombc_props_fini(&p);
    assert_int_equal(p.count, 0);
    assert_null(p.items);
    ombc_props_fini(&p); /* twice is fine */
}

static void test_merge(void **state) {
    (void)state;
    struct ombc_props common = {0}, producer = {0}, dst = {0};
    parse_ok(&common, "bootstrap.servers=localhost:9092\nacks=1\n");
    parse_ok(&producer, "acks=all\nlinger.ms=1\n");
    assert_int_equal(ombc_props_merge(&dst, &common), 0);
    assert_int_equal(ombc_props_merge(&dst, &producer), 0);
    assert_int_equal(dst.count, 3);
    assert_string_equal(dst.items[0].key, "bootstrap.servers");
    assert_string_equal(dst.items[1].key, "acks");
    assert_string_equal(dst.items[1].value, "all");
    assert_int_equal(dst.items[1].line, 1);
    assert_string_equal(dst.items[2].key, "linger.ms");
    /* the sources are untouched */
    assert_prop(&common, "acks", "1");
    assert_int_equal(producer.count, 2);
    /* merging an empty list is a no-op */
    struct ombc_props empty = {0};
    assert_int_equal(ombc_props_merge(&dst, &empty), 0);
    assert_int_equal(dst.count, 3);
    ombc_props_fini(&common);
    ombc_props_fini(&producer);
    ombc_props_fini(&dst);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_separators),    cmocka_unit_test(test_comments_and_blanks),
        cmocka_unit_test(test_continuation),  cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_bad_unicode_escape), cmocka_unit_test(test_override_order),
        cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
