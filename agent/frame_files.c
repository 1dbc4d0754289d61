// SPDX-License-Identifier: GPL-2.0
/*
 * The trace buffer as GDB trace files (tfile), in debugfs.
 *
 * /sys/kernel/debug/gtpframe: the whole buffer, for `target tfile` or a
 * copy.  A read takes the trace lock, brings the frame index up to date
 * and computes the bytes asked for from the header (proto/tfile.c), the
 * frame section (rb_stream_read()) and the two zero bytes that end it.
 * So a read at any offset (pread, GDB's lseek and read) works, and the
 * size is where reads return 0.  Without a buffer (no trace started yet)
 * it is a valid trace file with no frames.  Each open file keeps one
 * thing: the header, taken by its last read from offset 0 (or its first
 * read).  GDB reads the header a byte at a time; while a trace runs, its
 * figures grow by digits between two reads, and a header computed afresh
 * for each byte came apart under GDB (lines cut and spliced, which GDB
 * 13 can even die of: an uploaded tracepoint with no definition line).
 * The frames are read live: while a trace runs they grow, and circular
 * writers overwrite the oldest, between reads, so a copy taken during a
 * run may not hold together; copy it after tstop.  When circular writers
 * overwrite frames faster than one read copies them, a read that starts
 * at the header leaves out the oldest frames (all of them, at worst)
 * rather than fail.
 *
 * /sys/kernel/debug/gtpframe_pipe: a consuming stream of the same format.
 * Each open attaches one of the ring buffer's RB_MAX_CONSUMERS consuming
 * readers, so at most that many are open at once; another open gets
 * -EBUSY.  A reader gets the header as it was at open, then each frame
 * once it is committed, oldest first, then the end and EOF once the trace
 * has stopped and everything was read: `cat gtpframe_pipe > f` during a
 * run leaves a file `target tfile` opens.  With nothing to read yet a read
 * sleeps, or fails with -EAGAIN under O_NONBLOCK; it looks again every
 * GTP_PIPE_POLL_MS, because the probe path runs in any context, even NMI,
 * and cannot wake anyone.  There is no poll(): nothing would wake it.
 * Without a buffer at open the pipe reads as an empty trace file, like
 * gtpframe, so scripts need no special case.  A reader follows the buffer
 * it opened: when a new tstart resets or replaces that buffer before the
 * reader is through, its remaining frames are gone and its reads fail
 * with -ESTALE.  In stop-when-full mode a reader that does not read holds
 * the writers back (they drop and count frames); in circular mode it
 * loses frames instead, and the status file counts them per pipe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "agent/agent.h"
#include "proto/packets.h"
#include "proto/tfile.h"
#include "proto/trace.h"

/*
 * Most bytes one read computes, under the trace lock; above what GDB
 * asks at once (an 'M' block is at most 65535 bytes), since GDB takes a
 * short read of a trace file for its end.
 */
#define GTP_FRAME_CHUNK		(128 * 1024)
#define GTP_PIPE_CHUNK		(32 * 1024)
#define GTP_PIPE_POLL_MS	50
/*
 * Snapshots to try when the trace changes under one (header, overwrite):
 * twice whole, then with the newest half, quarter ... 1/32 of the frames,
 * then none (see gtp_frame_read()).
 */
#define GTP_FRAME_RETRIES	8

static const u8 gtp_tfile_end[GTP_TFILE_END_LEN];

/*
 * The header of the trace as it is now, in a kvmalloc'd buffer; under
 * gtp_trace_lock.  Its size can grow between sizing and writing while a
 * trace runs (more frames, more digits), hence the slack and the retry.
 */
static char *gtp_frame_header(struct gtp_trace *t, size_t *len)
{
	int tries;

	for (tries = 0; tries < GTP_FRAME_RETRIES; tries++) {
		size_t size = gtp_tfile_header_size(t, RSP_REG_BLOCK_X86_64,
						    rsp_target_xml_x86_64_linux);
		char *buf;
		s64 n;

		size += 64;
		buf = kvmalloc(size, GFP_KERNEL);
		if (!buf)
			return ERR_PTR(-ENOMEM);
		n = gtp_tfile_header(t, RSP_REG_BLOCK_X86_64,
				     rsp_target_xml_x86_64_linux, buf, size);
		if (n >= 0) {
			*len = n;
			return buf;
		}
		kvfree(buf);
	}
	return ERR_PTR(-EAGAIN);
}

/* ---- gtpframe ---- */

/* What one open file of gtpframe keeps between reads. */
struct gtp_frame_view {
	char *header;		/* kvmalloc'd; NULL: take one at next read */
	size_t hlen;
	u64 base;		/* stream offset of the file's first frame */
	u64 generation;		/* rb_generation() then; 0: no buffer */
};

static u64 gtp_frame_generation(const struct gtp_trace *t)
{
	return t->rb ? rb_generation(t->rb) : 0;
}

/*
 * Take @v's header afresh; the file holds only the newest 1/2^@halve of
 * the indexed frames (none from 64 on; see gtp_frame_read()).  Under
 * gtp_trace_lock.
 */
static int gtp_frame_snapshot(struct gtp_trace *t, struct gtp_frame_view *v,
			      unsigned int halve)
{
	size_t hlen;
	char *header;
	int err;

	kvfree(v->header);
	v->header = NULL;
	header = gtp_frame_header(t, &hlen);
	if (IS_ERR(header))
		return PTR_ERR(header);
	v->base = 0;
	if (t->rb) {
		err = rb_index_refresh(t->rb);
		if (err) {
			kvfree(header);
			return err;
		}
		if (halve) {
			u64 n = rb_index_count(t->rb);

			v->base = rb_stream_offset(t->rb, halve < 64 ?
						   n - (n >> halve) : n);
		}
	}
	v->header = header;
	v->hlen = hlen;
	v->generation = gtp_frame_generation(t);
	return 0;
}

/*
 * Bytes [@pos, @pos + @len) of the trace file of @v into @buf; returns
 * how many (0 at the end) or a negative errno.  Under gtp_trace_lock.
 */
static ssize_t gtp_frame_fill(struct gtp_trace *t, struct gtp_frame_view *v,
			      u64 pos, u8 *buf, size_t len)
{
	size_t hlen = v->hlen, done = 0;
	u64 fsize = 0, end, size;
	s64 n = 0;
	int err;

	if (pos < hlen) {
		done = min_t(u64, len, hlen - pos);
		memcpy(buf, v->header + pos, done);
		/* All in the header: the frames need not be looked at. */
		if (done == len)
			return done;
	}
	if (t->rb) {
		err = rb_index_refresh(t->rb);
		if (err)
			return err;
		size = rb_stream_size(t->rb);
		/* Overwritten frames left the index: it may have shrunk. */
		fsize = size > v->base ? size - v->base : 0;
	}
	end = hlen + fsize + GTP_TFILE_END_LEN;

	while (done < len && pos + done < hlen + fsize) {
		n = rb_stream_read(t->rb, v->base + pos + done - hlen,
				   buf + done,
				   min_t(u64, len - done,
					 hlen + fsize - pos - done));
		if (n <= 0)
			break;
		done += n;
	}
	if (n < 0)
		return n;
	if (done < len && pos + done >= hlen + fsize && pos + done < end) {
		u64 k = min_t(u64, len - done, end - pos - done);

		memcpy(buf + done, gtp_tfile_end + (pos + done - hlen - fsize),
		       k);
		done += k;
	}
	return done;
}

static int gtp_frame_open(struct inode *inode, struct file *file)
{
	struct gtp_frame_view *v = kzalloc(sizeof(*v), GFP_KERNEL);

	if (!v)
		return -ENOMEM;
	file->private_data = v;
	return 0;
}

static int gtp_frame_release(struct inode *inode, struct file *file)
{
	struct gtp_frame_view *v = file->private_data;

	kvfree(v->header);
	kfree(v);
	return 0;
}

static ssize_t gtp_frame_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	size_t len = min_t(size_t, count, GTP_FRAME_CHUNK);
	struct gtp_frame_view *v = file->private_data;
	struct gtp_trace *t;
	loff_t pos = *ppos;
	ssize_t n;
	int tries;
	u8 *buf;

	if (pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = mutex_lock_interruptible(&gtp_trace_lock);
	if (n)
		goto out;
	t = gtp_the_trace;
	/*
	 * A read from the start, or the first, takes the header; so does
	 * one after a tstart replaced the buffer, whose frames the old
	 * header does not describe.
	 */
	if (!pos || !v->header || v->generation != gtp_frame_generation(t))
		n = gtp_frame_snapshot(t, v, 0);
	/*
	 * Circular overwrite under the read: take a fresh snapshot.  When
	 * the writers lap the read again (a full buffer, CPUs hitting as
	 * fast as they can, a slow reader), the oldest frames are the ones
	 * going under: a read that starts in the header keeps a shrinking
	 * share of the newest, down to none, so that it is still a whole
	 * trace file.
	 */
	for (tries = 0; !n && tries < GTP_FRAME_RETRIES; tries++) {
		unsigned int halve = 0;

		if (tries == GTP_FRAME_RETRIES - 1)
			halve = 64;
		else if (tries > 1)
			halve = tries - 1;
		if (tries && pos < v->hlen)
			n = gtp_frame_snapshot(t, v, halve);
		if (!n)
			n = gtp_frame_fill(t, v, pos, buf, len);
		if (n != -ESTALE)
			break;
		n = 0;
	}
	if (!n && tries == GTP_FRAME_RETRIES)
		n = -ESTALE;
	mutex_unlock(&gtp_trace_lock);
	/* Copied out of the lock: a fault must not hold tracing up. */
	if (n > 0) {
		if (copy_to_user(ubuf, buf, n))
			n = -EFAULT;
		else
			*ppos = pos + n;
	}
out:
	kvfree(buf);
	return n;
}

static const struct file_operations gtp_frame_fops = {
	.owner = THIS_MODULE,
	.open = gtp_frame_open,
	.release = gtp_frame_release,
	.read = gtp_frame_read,
	.llseek = default_llseek,
};

/* ---- gtpframe_pipe ---- */

struct gtp_pipe {
	struct mutex lock;		/* serialises reads of this open file */
	int id;				/* consumer id, or -1: none */
	u64 generation;			/* rb_generation() at attach */
	bool lost;			/* a tstart took the buffer away */
	char *header;			/* the header at open */
	size_t header_len, header_off;
	u32 end_off;			/* bytes of the end sent */
	u8 *buf;			/* GTP_PIPE_CHUNK bytes */
	size_t buf_off, buf_len;	/* filled and not yet copied out */
};

/*
 * Open pipes by consumer id, and the figures of each slot's latest
 * reader (kept after it closes, for the status file).  Under
 * gtp_trace_lock.
 */
static struct gtp_pipe *gtp_pipes[RB_MAX_CONSUMERS];
static struct {
	u64 frames;
	u64 overrun;
} gtp_pipe_figures[RB_MAX_CONSUMERS];

/* The pipe's consumer is still attached to the trace's buffer. */
static bool gtp_pipe_live(const struct gtp_pipe *p)
{
	const struct rb *rb = gtp_the_trace->rb;

	return p->id >= 0 && rb && rb_generation(rb) == p->generation;
}

static void gtp_pipe_update_figures(const struct gtp_pipe *p)
{
	struct rb *rb = gtp_the_trace->rb;

	gtp_pipe_figures[p->id].frames = rb_consumer_frames(rb, p->id);
	gtp_pipe_figures[p->id].overrun = rb_consumer_overrun(rb, p->id);
}

/*
 * Let go of the pipes whose buffer a tstart reset or replaced: the ring
 * buffer detached their consumers, and the ids may be handed out again.
 */
static void gtp_pipes_sweep(void)
{
	struct gtp_pipe *p;
	int i;

	for (i = 0; i < RB_MAX_CONSUMERS; i++) {
		p = gtp_pipes[i];
		if (p && !gtp_pipe_live(p)) {
			p->id = -1;
			p->lost = true;
			gtp_pipes[i] = NULL;
		}
	}
}

void gtp_pipe_status(unsigned int i, bool *open, u64 *frames, u64 *overrun)
{
	gtp_pipes_sweep();
	*open = !!gtp_pipes[i];
	if (gtp_pipes[i])
		gtp_pipe_update_figures(gtp_pipes[i]);
	*frames = gtp_pipe_figures[i].frames;
	*overrun = gtp_pipe_figures[i].overrun;
}

/*
 * No frame can come any more: the run is over and its probes are gone.
 * A hit that began before a stop from the hit path may still be writing
 * until the deferred stop removes the probes; removal waits for it.
 */
static bool gtp_pipe_writers_done(const struct gtp_trace *t)
{
	u32 i;

	if (READ_ONCE(t->state) == GTP_RUNNING)
		return false;
	for (i = 0; i < t->nr_tps; i++)
		if (t->tps[i]->probe)
			return false;
	return true;
}

static void gtp_pipe_free(struct gtp_pipe *p)
{
	kvfree(p->header);
	kvfree(p->buf);
	kfree(p);
}

static int gtp_pipe_open(struct inode *inode, struct file *file)
{
	struct gtp_trace *t = gtp_the_trace;
	struct gtp_pipe *p;
	int id, err;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	mutex_init(&p->lock);
	p->id = -1;
	p->buf = kvmalloc(GTP_PIPE_CHUNK, GFP_KERNEL);
	if (!p->buf) {
		err = -ENOMEM;
		goto fail;
	}

	mutex_lock(&gtp_trace_lock);
	gtp_pipes_sweep();
	if (t->rb) {
		id = rb_consumer_attach(t->rb);
		if (id < 0) {
			mutex_unlock(&gtp_trace_lock);
			err = id;
			if (err == -EBUSY)
				pr_info_ratelimited("%s: gtpframe_pipe busy: at most %d readers at once\n",
						    current->comm,
						    RB_MAX_CONSUMERS);
			goto fail;
		}
		p->id = id;
		p->generation = rb_generation(t->rb);
	}
	p->header = gtp_frame_header(t, &p->header_len);
	if (IS_ERR(p->header)) {
		err = PTR_ERR(p->header);
		p->header = NULL;
		if (p->id >= 0)
			rb_consumer_detach(t->rb, p->id);
		mutex_unlock(&gtp_trace_lock);
		goto fail;
	}
	if (p->id >= 0) {
		gtp_pipes[p->id] = p;
		gtp_pipe_update_figures(p);
	}
	mutex_unlock(&gtp_trace_lock);

	file->private_data = p;
	return stream_open(inode, file);
fail:
	gtp_pipe_free(p);
	return err;
}

static int gtp_pipe_release(struct inode *inode, struct file *file)
{
	struct gtp_pipe *p = file->private_data;

	mutex_lock(&gtp_trace_lock);
	gtp_pipes_sweep();
	if (p->id >= 0) {
		gtp_pipe_update_figures(p);
		rb_consumer_detach(gtp_the_trace->rb, p->id);
		gtp_pipes[p->id] = NULL;
	}
	mutex_unlock(&gtp_trace_lock);
	gtp_pipe_free(p);
	return 0;
}

/*
 * Fill p->buf with what comes next after the header: frames, then the
 * end.  Returns bytes filled, 0 at EOF, -EAGAIN when nothing is there
 * yet, or a negative errno.  Under gtp_trace_lock.
 */
static ssize_t gtp_pipe_fill(struct gtp_pipe *p)
{
	struct gtp_trace *t = gtp_the_trace;
	bool done;
	s64 n;

	if (p->end_off == GTP_TFILE_END_LEN)
		return 0;
	gtp_pipes_sweep();
	if (p->lost) {
		pr_info_ratelimited("%s: gtpframe_pipe: a new trace run reset the buffer before all its frames were read\n",
				    current->comm);
		return -ESTALE;
	}
	if (p->id >= 0) {
		/* Checked first: done before an empty read means no more. */
		done = gtp_pipe_writers_done(t);
		n = rb_consumer_read(t->rb, p->id, p->buf, GTP_PIPE_CHUNK);
		gtp_pipe_update_figures(p);
		/* The writer lapped the reader again and again: try later. */
		if (n == -ESTALE || (!n && !done))
			return -EAGAIN;
		if (n)
			return n;
	}
	n = GTP_TFILE_END_LEN - p->end_off;
	memcpy(p->buf, gtp_tfile_end + p->end_off, n);
	p->end_off = GTP_TFILE_END_LEN;
	return n;
}

/*
 * Copy up to @count bytes of what the pipe has ready (the header, or
 * what gtp_pipe_fill() left in p->buf) to @ubuf.  Returns bytes copied,
 * 0 when nothing is ready, or -EFAULT.
 */
static ssize_t gtp_pipe_copy(struct gtp_pipe *p, char __user *ubuf,
			     size_t count)
{
	const char *src;
	size_t *off, n;

	if (p->header_off < p->header_len) {
		src = p->header;
		off = &p->header_off;
		n = p->header_len - p->header_off;
	} else {
		src = p->buf;
		off = &p->buf_off;
		n = p->buf_len - p->buf_off;
	}
	if (!n)
		return 0;
	n = min(n, count);
	/* Whatever was not copied stays for the next read. */
	n -= copy_to_user(ubuf, src + *off, n);
	*off += n;
	return n ? n : -EFAULT;
}

static ssize_t gtp_pipe_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct gtp_pipe *p = file->private_data;
	ssize_t n;

	if (!count)
		return 0;
	n = mutex_lock_interruptible(&p->lock);
	if (n)
		return n;
	for (;;) {
		n = gtp_pipe_copy(p, ubuf, count);
		if (n)
			break;
		n = mutex_lock_interruptible(&gtp_trace_lock);
		if (n)
			break;
		n = gtp_pipe_fill(p);
		mutex_unlock(&gtp_trace_lock);
		if (n > 0) {
			p->buf_off = 0;
			p->buf_len = n;
			continue;
		}
		if (n != -EAGAIN || (file->f_flags & O_NONBLOCK))
			break;
		schedule_timeout_interruptible(msecs_to_jiffies(GTP_PIPE_POLL_MS));
		if (signal_pending(current)) {
			n = -ERESTARTSYS;
			break;
		}
	}
	mutex_unlock(&p->lock);
	return n;
}

/* .owner pins the module while a reader has a file open. */
static const struct file_operations gtp_pipe_fops = {
	.owner = THIS_MODULE,
	.open = gtp_pipe_open,
	.release = gtp_pipe_release,
	.read = gtp_pipe_read,
	.llseek = gtp_no_llseek,
};

static struct dentry *gtp_frame_dentry, *gtp_pipe_dentry;

int gtp_frame_files_init(void)
{
	struct dentry *d;

	d = debugfs_create_file("gtpframe", 0400, NULL, NULL, &gtp_frame_fops);
	if (IS_ERR(d))
		return PTR_ERR(d);
	gtp_frame_dentry = d;
	d = debugfs_create_file("gtpframe_pipe", 0400, NULL, NULL,
				&gtp_pipe_fops);
	if (IS_ERR(d)) {
		gtp_frame_files_exit();
		return PTR_ERR(d);
	}
	gtp_pipe_dentry = d;
	return 0;
}

void gtp_frame_files_exit(void)
{
	debugfs_remove(gtp_pipe_dentry);
	gtp_pipe_dentry = NULL;
	debugfs_remove(gtp_frame_dentry);
	gtp_frame_dentry = NULL;
}
