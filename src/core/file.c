/*
 * file: see file.h.
 */
#include "core/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"

int ombc_read_file(const char *path, char **out, size_t *out_len, char *errstr,
                   size_t errstr_size) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return ombc_errf(errstr, errstr_size, OMBC_ENOENT, "%s: cannot open: %s", path,
                         strerror(errno));
    struct ombc_buf b = OMBC_BUF_INIT;
    for (;;) {
        if (b.cap - b.len < 2 && ombc_buf_reserve(&b, b.len ? b.len : 4095) != 0) {
            ombc_buf_fini(&b);
            fclose(f);
            return ombc_errf(errstr, errstr_size, OMBC_ENOMEM, "%s: out of memory", path);
        }
        size_t n = fread(b.p + b.len, 1, b.cap - b.len - 1, f);
        b.len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        ombc_buf_fini(&b);
        fclose(f);
        return ombc_errf(errstr, errstr_size, OMBC_ENOENT, "%s: cannot read: %s", path,
                         strerror(e));
    }
    fclose(f);
    b.p[b.len] = '\0'; /* fread wrote past it */
    *out_len = b.len;
    *out = ombc_buf_take(&b);
    return 0;
}
