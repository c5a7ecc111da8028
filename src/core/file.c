/*
 * file: see file.h.
 */
#include "core/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

int ombc_read_file(const char *path, char **out, size_t *out_len, char *errstr,
                   size_t errstr_size) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return ombc_errf(errstr, errstr_size, OMBC_ENOENT, "%s: cannot open: %s", path,
                         strerror(errno));
    size_t cap = 4096, len = 0;
    char *data = malloc(cap);
    if (!data) {
        fclose(f);
        return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
    }
    for (;;) {
        if (cap - len < 2) {
            char *p = realloc(data, cap * 2);
            if (!p) {
                free(data);
                fclose(f);
                return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
            }
            data = p;
            cap *= 2;
        }
        size_t n = fread(data + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(data);
        fclose(f);
        return ombc_errf(errstr, errstr_size, OMBC_ENOENT, "%s: cannot read: %s", path,
                         strerror(e));
    }
    fclose(f);
    data[len] = '\0';
    *out = data;
    *out_len = len;
    return 0;
}
