// SPDX-License-Identifier: GPL-2.0
/*
 * Live kernel memory, as GDB sees it outside tfind (`p jiffies_64`).
 *
 * Every read goes through copy_from_kernel_nofault(), so an unmapped or
 * forbidden address yields fewer bytes, never an oops.  Kernel addresses
 * mapped to something other than RAM (ioremap) read as unavailable too:
 * reading a device register can have effects (a FIFO pops, a status
 * clears), and looking must change nothing.  Reads are split at
 * page boundaries: a range that runs into an unmapped page still returns
 * the readable bytes before it, which is what GDB's `m` expects.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/uaccess.h>

#include "agent/agent.h"

bool gtp_memory_locked_down(void)
{
	/* Reading kernel memory is what /proc/kcore does, so ask the same. */
	return gtp_locked_down(LOCKDOWN_KCORE);
}

/*
 * Bytes from @addr on, up to @len, that are kernel code: mapped
 * executable and read-only (core and module text under STRICT_*_RWX).
 * Code does not change while a trace runs, so a trace frame may show it
 * live (`x/i $pc` in tfind) though no tracepoint collected it.
 */
u64 gtp_memory_code_size(u64 addr, u64 len)
{
	u64 done = 0;

	while (done < len) {
		unsigned long a = (unsigned long)(addr + done);
		unsigned int level;
		pte_t *pte;

		if (addr + done < addr)
			break;
		pte = lookup_address(a, &level);
		if (!pte || !pte_present(*pte) || !pte_exec(*pte) ||
		    pte_write(*pte))
			break;
		done += min_t(u64, len - done, PAGE_SIZE - offset_in_page(a));
	}
	return done;
}

/*
 * Whether the kernel page of @a maps RAM.  A lockless page-table walk
 * and pfn_valid(), both safe in any context; I/O memory has no struct
 * page.  An unmapped page passes: the nofault copy reports it.
 */
static bool gtp_memory_is_io(unsigned long a)
{
	unsigned int level;
	unsigned long pfn;
	pte_t *pte;

	pte = lookup_address(a, &level);
	if (!pte || !pte_present(*pte))
		return false;
	pfn = pte_pfn(*pte) +
	      ((a & (page_level_size(level) - 1)) >> PAGE_SHIFT);
	return !pfn_valid(pfn);
}

/*
 * The one copy loop, page by page, so a range running into an unreadable
 * page still yields what came before it.  @user: addresses below the
 * user-space limit are the current task's memory, read with
 * copy_from_user_nofault(), which is safe in any context (a task without
 * that page mapped, or a kernel thread, just reads nothing).
 */
static size_t gtp_memory_copy(u64 addr, void *buf, size_t len, bool user)
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
		long err;

		if (addr + done < addr)		/* wrapped past the top */
			break;
		if (a < TASK_SIZE_MAX)
			err = user ? copy_from_user_nofault(buf + done,
					(const void __user *)a, chunk) : -EFAULT;
		else if (gtp_memory_is_io(a))
			err = -EIO;
		else
			err = copy_from_kernel_nofault(buf + done,
						       (const void *)a, chunk);
		if (err)
			break;
		done += chunk;
	}
	return done;
}

/*
 * Live reads for GDB: kernel memory only.  The task that is current then
 * is the one feeding the endpoint, whose user memory means nothing to
 * the person at the prompt.
 */
size_t gtp_memory_read(u64 addr, void *buf, size_t len)
{
	return gtp_memory_copy(addr, buf, len, false);
}

/* Reads at a hit: kernel memory and the hit task's user memory. */
size_t gtp_memory_read_hit(u64 addr, void *buf, size_t len)
{
	return gtp_memory_copy(addr, buf, len, true);
}

/*
 * Writes, only when the allow_write parameter is set (checked by the
 * caller).  copy_to_kernel_nofault() is not exported to modules, so write
 * byte by byte with the architecture's nofault store: a read-only or
 * unmapped byte stops the write with -EFAULT instead of an oops.
 */
int gtp_memory_write(u64 addr, const void *buf, size_t len)
{
	const u8 *src = buf;
	size_t i;

	if (gtp_memory_locked_down())
		return -EPERM;
	/* Kernel addresses only: user memory here is the bridge process's. */
	if (addr < TASK_SIZE_MAX || addr + len < addr)
		return -EFAULT;

	pagefault_disable();
	for (i = 0; i < len; i++) {
		u8 *dst = (u8 *)(unsigned long)(addr + i);

		__put_kernel_nofault(dst, &src[i], u8, fault);
	}
	pagefault_enable();
	return 0;
fault:
	pagefault_enable();
	return -EFAULT;
}
