/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, in one place.
 *
 * gtp.ko is built for Debian's 6.1 kernel and for the project's debug
 * kernel (the same source, another configuration), and is meant to keep
 * building on newer kernels.  Everything that depends on the kernel's
 * version or configuration is named here, so the rest of agent/ and hw/
 * reads as plain kernel code with no #if in it.
 */
#ifndef GTP_COMPAT_H
#define GTP_COMPAT_H

#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/platform_device.h>
#include <linux/security.h>
#include <linux/version.h>

/*
 * What the agent cannot work without: a clear build error beats a module
 * that loads and then refuses every tracepoint.
 */
#ifndef CONFIG_X86_64
#error "gtp: GDB's register layout and the code lookup are x86-64 only"
#endif
#ifndef CONFIG_KPROBES
#error "gtp: tracepoints are kprobes; the kernel needs CONFIG_KPROBES"
#endif
#ifndef CONFIG_DEBUG_FS
#error "gtp: the endpoint and the frame files live in debugfs"
#endif

/*
 * Lockdown: without CONFIG_SECURITY, security_locked_down() is an inline
 * that allows everything, which is the right answer on such a kernel.
 */
static inline bool gtp_locked_down(enum lockdown_reason what)
{
	return security_locked_down(what) != 0;
}

/* 6.12 removed no_llseek: a stream_open()ed file without ->llseek. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#define gtp_no_llseek	no_llseek
#else
#define gtp_no_llseek	NULL
#endif

/* 6.13 added hrtimer_setup(); 6.15 removed hrtimer_init(). */
static inline void gtp_hrtimer_setup(struct hrtimer *timer,
				     enum hrtimer_restart (*fn)(struct hrtimer *),
				     clockid_t clock, enum hrtimer_mode mode)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

/*
 * platform_driver.remove returns void since 6.11, an int (which the core
 * ignored) before:
 *   static gtp_remove_t foo_remove(struct platform_device *pdev)
 *   { ...; return GTP_REMOVED; }
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define gtp_remove_t	void
#define GTP_REMOVED
#else
#define gtp_remove_t	int
#define GTP_REMOVED	0
#endif

#endif /* GTP_COMPAT_H */
