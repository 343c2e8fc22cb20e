// SPDX-License-Identifier: GPL-2.0
/* vsecy-mkad: key memory, and the process's core dump settings. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "crypto.h"
#include "secmem.h"

static size_t round_up(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (size + page - 1) / page * page;
}

void *secmem_alloc(size_t size)
{
	size_t len = round_up(size);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, MADV_DONTDUMP);
	/* best effort: RLIMIT_MEMLOCK may be small for an unprivileged run */
	(void)mlock(p, len);
	return p;
}

void secmem_free(void *p, size_t size)
{
	size_t len = round_up(size);

	if (!p)
		return;
	crypto_wipe(p, len);
	munlock(p, len);
	munmap(p, len);
}

int secmem_harden_process(void)
{
	struct rlimit rl = { 0, 0 };
	int rc = 0;

	if (setrlimit(RLIMIT_CORE, &rl))
		rc = -1;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		rc = -1;
	return rc;
}
