/*
 * file: reading a whole file into memory, the one way every input (workload
 * and driver YAML, result JSON) is read, with errors that name the path.
 */
#ifndef OMBC_CORE_FILE_H
#define OMBC_CORE_FILE_H

#include <stddef.h>

/**
 * @brief Reads the whole file at path into a new NUL-terminated buffer
 * (*out, to free; *out_len bytes before the NUL).
 * @return 0, OMBC_ENOENT ("PATH: cannot open: ...", "PATH: cannot read: ...")
 * or OMBC_ENOMEM.
 */
int ombc_read_file(const char *path, char **out, size_t *out_len, char *errstr,
                   size_t errstr_size);

#endif
