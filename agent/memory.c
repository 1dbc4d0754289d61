// SPDX-License-Identifier: GPL-2.0
/*
 * Live kernel memory, as GDB sees it outside tfind (`p jiffies_64`).
 *
 * Every read goes through copy_from_kernel_nofault(), so an unmapped or
 * forbidden address yields fewer bytes, never an oops.  Reads are split at
 * page boundaries: a range that runs into an unmapped page still returns
 * the readable bytes before it, which is what GDB's `m` expects.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/security.h>
#include <linux/uaccess.h>

#include "agent/agent.h"

bool gtp_memory_locked_down(void)
{
	/* Reading kernel memory is what /proc/kcore does, so ask the same. */
	return security_locked_down(LOCKDOWN_KCORE) != 0;
}

size_t gtp_memory_read(u64 addr, void *buf, size_t len)
{
	size_t done = 0;

	if (gtp_memory_locked_down()) {
		pr_warn_once("kernel is locked down: memory reads refused\n");
		return 0;
	}

	while (done < len) {
		unsigned long a = (unsigned long)(addr + done);
		size_t chunk = min_t(size_t, len - done,
				     PAGE_SIZE - offset_in_page(a));

		if (addr + done < addr)		/* wrapped past the top */
			break;
		if (copy_from_kernel_nofault(buf + done, (const void *)a,
					     chunk))
			break;
		done += chunk;
	}
	return done;
}
