/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsecy-mkad: memory for objects that hold keys. Such memory is its own
 * mapping, excluded from core dumps (MADV_DONTDUMP), locked in RAM where
 * the limits allow (so it is never swapped out), zeroed when allocated
 * and wiped when freed.
 */
#ifndef MKAD_SECMEM_H
#define MKAD_SECMEM_H

#include <stddef.h>

void *secmem_alloc(size_t size);
void secmem_free(void *p, size_t size);
/*
 * The process-wide measures: no core dumps (RLIMIT_CORE 0), not
 * dumpable (PR_SET_DUMPABLE 0, which also keeps /proc/PID/mem from
 * other users). Returns 0, or -1 if one of them failed.
 */
int secmem_harden_process(void);

#endif
