// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/gtp: the GDB remote protocol endpoint.
 *
 * A byte stream: what GDB writes is fed to proto/'s packet stream, what
 * the session answers is read back, with blocking reads, poll and
 * O_NONBLOCK, so `target remote /sys/kernel/debug/gtp` works locally and
 * `nc -l -p 1234 </sys/kernel/debug/gtp >/sys/kernel/debug/gtp` works as a
 * bridge.  That bridge opens the file twice, once to read and once to
 * write, so a connection is at most one reader and one writer; another
 * opener for the same direction gets -EBUSY.  The session restarts when
 * the last opener of a connection closes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "agent/agent.h"
#include "proto/packets.h"
#include "proto/trace.h"

#define GTP_IO_CHUNK	PAGE_SIZE

struct gtp_endpoint {
	struct mutex lock;		/* serialises everything below */
	wait_queue_head_t wait;		/* output ready, or room for input */
	bool reader;			/* opened for reading */
	bool writer;			/* opened for writing */
	struct rsp_session *session;
	u8 *io;				/* GTP_IO_CHUNK bytes of bounce buffer */
};

static struct gtp_endpoint gtp_ep = {
	.lock = __MUTEX_INITIALIZER(gtp_ep.lock),
	.wait = __WAIT_QUEUE_HEAD_INITIALIZER(gtp_ep.wait),
};

static size_t gtp_target_read_memory(void *target, u64 addr, void *buf,
				     size_t len)
{
	return gtp_memory_read(addr, buf, len);
}

static u64 gtp_target_readonly_size(void *target, u64 addr, u64 len)
{
	return gtp_memory_code_size(addr, len);
}

static int gtp_target_write_memory(void *target, u64 addr, const void *buf,
				   size_t len)
{
	if (!gtp_param_allow_write)
		return -EPERM;
	return gtp_memory_write(addr, buf, len);
}

static const struct rsp_target_ops gtp_target_ops = {
	.reg_block_size = RSP_REG_BLOCK_X86_64,
	.pc_offset = RSP_PC_OFFSET_X86_64,
	.pc_size = RSP_PC_SIZE_X86_64,
	.target_xml = rsp_target_xml_x86_64_linux,
	.read_memory = gtp_target_read_memory,
	.write_memory = gtp_target_write_memory,
	.readonly_size = gtp_target_readonly_size,
};

/* Room for the largest answer one input byte can cause. */
static bool gtp_ep_has_room(void)
{
	return RSP_OUTQ_SIZE - rsp_output_pending(&gtp_ep.session->conn) >=
	       RSP_EVENT_MAX;
}

static int gtp_ep_open(struct inode *inode, struct file *file)
{
	bool rd = file->f_mode & FMODE_READ;
	bool wr = file->f_mode & FMODE_WRITE;
	int err = 0;

	mutex_lock(&gtp_ep.lock);
	if ((rd && gtp_ep.reader) || (wr && gtp_ep.writer)) {
		err = -EBUSY;
		goto out;
	}
	if (!gtp_ep.reader && !gtp_ep.writer) {
		rsp_session_init(gtp_ep.session, &gtp_target_ops, NULL);
		gtp_ep.session->trace = gtp_the_trace;
	}
	gtp_ep.reader |= rd;
	gtp_ep.writer |= wr;
	stream_open(inode, file);
out:
	mutex_unlock(&gtp_ep.lock);
	if (err == -EBUSY)
		pr_info_ratelimited("%s: endpoint busy, one GDB connection at a time\n",
				    current->comm);
	return err;
}

/*
 * GDB went away without stopping the trace: keep it running only if it
 * asked for disconnected tracing.
 */
static void gtp_ep_disconnected(void)
{
	struct gtp_trace *t = gtp_the_trace;

	mutex_lock(&gtp_trace_lock);
	if (t->state == GTP_RUNNING && !t->disconnected)
		gtp_trace_stop(t, GTP_STOP_DISCONNECTED);
	mutex_unlock(&gtp_trace_lock);
}

static int gtp_ep_release(struct inode *inode, struct file *file)
{
	mutex_lock(&gtp_ep.lock);
	if (file->f_mode & FMODE_READ)
		gtp_ep.reader = false;
	if (file->f_mode & FMODE_WRITE)
		gtp_ep.writer = false;
	if (!gtp_ep.reader && !gtp_ep.writer)
		gtp_ep_disconnected();
	mutex_unlock(&gtp_ep.lock);
	wake_up_interruptible(&gtp_ep.wait);
	return 0;
}

static ssize_t gtp_ep_read(struct file *file, char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	size_t n;
	int err;

	if (!count)
		return 0;
	for (;;) {
		err = mutex_lock_interruptible(&gtp_ep.lock);
		if (err)
			return err;
		if (rsp_output_pending(&gtp_ep.session->conn))
			break;
		mutex_unlock(&gtp_ep.lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(gtp_ep.wait,
				rsp_output_pending(&gtp_ep.session->conn));
		if (err)
			return err;
	}
	n = rsp_output(&gtp_ep.session->conn, gtp_ep.io,
		       min_t(size_t, count, GTP_IO_CHUNK));
	if (copy_to_user(ubuf, gtp_ep.io, n))
		n = 0;	/* the bytes are gone; GDB's retry logic recovers */
	mutex_unlock(&gtp_ep.lock);
	wake_up_interruptible(&gtp_ep.wait);
	return n ? n : -EFAULT;
}

static ssize_t gtp_ep_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	size_t done = 0;
	int err = 0;	/* a zero-length write is a successful no-op */

	while (done < count) {
		size_t chunk = min_t(size_t, count - done, GTP_IO_CHUNK);
		size_t used;

		err = mutex_lock_interruptible(&gtp_ep.lock);
		if (err)
			break;
		if (!gtp_ep_has_room()) {
			mutex_unlock(&gtp_ep.lock);
			if (done)
				break;
			err = -EAGAIN;
			if (file->f_flags & O_NONBLOCK)
				break;
			err = wait_event_interruptible(gtp_ep.wait,
						       gtp_ep_has_room());
			if (err)
				break;
			continue;
		}
		if (copy_from_user(gtp_ep.io, ubuf + done, chunk)) {
			mutex_unlock(&gtp_ep.lock);
			err = -EFAULT;
			break;
		}
		mutex_lock(&gtp_trace_lock);
		used = rsp_input(&gtp_ep.session->conn, gtp_ep.io, chunk);
		mutex_unlock(&gtp_trace_lock);
		mutex_unlock(&gtp_ep.lock);
		done += used;
		wake_up_interruptible(&gtp_ep.wait);
	}
	return done ? done : err;
}

static __poll_t gtp_ep_poll(struct file *file, poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &gtp_ep.wait, wait);
	mutex_lock(&gtp_ep.lock);
	if (rsp_output_pending(&gtp_ep.session->conn))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (gtp_ep_has_room())
		mask |= EPOLLOUT | EPOLLWRNORM;
	mutex_unlock(&gtp_ep.lock);
	return mask;
}

/*
 * .owner pins the module while a connection is open, so the session
 * cannot be freed under a reader; close GDB (or the bridge) to unload.
 */
static const struct file_operations gtp_ep_fops = {
	.owner = THIS_MODULE,
	.open = gtp_ep_open,
	.release = gtp_ep_release,
	.read = gtp_ep_read,
	.write = gtp_ep_write,
	.poll = gtp_ep_poll,
	.llseek = gtp_no_llseek,
};

static struct dentry *gtp_ep_dentry;

int gtp_endpoint_init(void)
{
	struct dentry *d;

	gtp_ep.session = vzalloc(sizeof(*gtp_ep.session));
	gtp_ep.io = kmalloc(GTP_IO_CHUNK, GFP_KERNEL);
	if (!gtp_ep.session || !gtp_ep.io) {
		gtp_endpoint_exit();
		return -ENOMEM;
	}
	rsp_session_init(gtp_ep.session, &gtp_target_ops, NULL);

	d = debugfs_create_file("gtp", 0600, NULL, NULL, &gtp_ep_fops);
	if (IS_ERR(d)) {
		gtp_endpoint_exit();
		return PTR_ERR(d);
	}
	gtp_ep_dentry = d;
	return 0;
}

void gtp_endpoint_exit(void)
{
	debugfs_remove(gtp_ep_dentry);
	gtp_ep_dentry = NULL;
	vfree(gtp_ep.session);
	gtp_ep.session = NULL;
	kfree(gtp_ep.io);
	gtp_ep.io = NULL;
}
