// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the protocol core (proto/) in a kernel: what the host
 * tests cannot show, the code running with the kernel's own allocators,
 * nofault copies and checkers (KASAN, lockdep, sleep-in-atomic) watching.
 *
 * - the bytecode verifier refuses the bombs the bad-input test sends and
 *   the interpreter stops an endless loop at its step limit;
 * - expressions read kernel memory through copy_from_kernel_nofault(),
 *   and a vmalloc guard page reads short (-EFAULT), never an oops;
 * - a whole trace: tracepoints defined from QTDP text, a run started,
 *   hits taken with preemption and interrupts off as in the kprobe
 *   handler, memory collected across an unreadable page, frames read
 *   back from the ring, passcount stopping the run from the hit path.
 *
 * `make debug-modules` builds it as gtp_proto_kunit.ko with its own copy
 * of proto/ and rb/ (tests/kunit/Kbuild); tests/debug/test_kunit.sh runs
 * it in the debug kernel.
 */
#include <kunit/test.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "proto/ax.h"
#include "proto/packets.h"
#include "proto/trace.h"
#include "rb/rb.h"

/* ---- bytecode ---- */

static size_t pk_read(void *target, u64 addr, void *buf, size_t len)
{
	size_t done = 0;

	/* Page by page, as the agent does, so a short read is exact. */
	while (done < len) {
		unsigned long a = (unsigned long)(addr + done);
		size_t n = min_t(size_t, len - done, PAGE_SIZE - offset_in_page(a));

		if (copy_from_kernel_nofault(buf + done, (void *)a, n))
			break;
		done += n;
	}
	return done;
}

static int pk_eval(const u8 *code, u32 len, u64 *res)
{
	u64 stack[AX_STACK_MAX];
	struct ax_env env = {
		.stack = stack,
		.read_memory = pk_read,
	};

	return ax_eval(code, len, &env, res);
}

static void pk_verifier_refuses_bombs(struct kunit *test)
{
	const char *why = NULL;
	u8 *code;
	u32 i;

	code = kunit_kzalloc(test, AX_CODE_MAX + 16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, code);
	/* 1000 pushes: far past the 64-value stack. */
	for (i = 0; i < 1000; i++) {
		code[2 * i] = AX_OP_CONST8;
		code[2 * i + 1] = 1;
	}
	code[2000] = AX_OP_END;
	KUNIT_EXPECT_EQ(test, ax_verify(code, 2001, NULL, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "stack overflow");
	/* goto 1: into its own operand. */
	memcpy(code, (u8[]){ AX_OP_GOTO, 0, 1, AX_OP_END }, 4);
	KUNIT_EXPECT_EQ(test, ax_verify(code, 4, NULL, &why), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "jump into an instruction");
	/* Too long. */
	memset(code, AX_OP_DUP, AX_CODE_MAX + 1);
	KUNIT_EXPECT_EQ(test, ax_verify(code, AX_CODE_MAX + 1, NULL, &why),
			-EINVAL);
}

static void pk_endless_loop_stops(struct kunit *test)
{
	const u8 loop[] = { AX_OP_GOTO, 0, 0 };
	u64 res;

	/* Accepted: only running it shows it never ends. */
	KUNIT_EXPECT_EQ(test, ax_verify(loop, sizeof(loop), NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, pk_eval(loop, sizeof(loop), &res), -ELOOP);
}

static u64 pk_datum = 0x1122334455667788ULL;

static void pk_reads_kernel_memory(struct kunit *test)
{
	u8 code[16] = { AX_OP_CONST64 };
	u64 addr = (unsigned long)&pk_datum, res = 0;
	u8 *guard;
	int i;

	for (i = 0; i < 8; i++)
		code[1 + i] = (u8)(addr >> (56 - 8 * i));
	code[9] = AX_OP_REF64;
	code[10] = AX_OP_END;
	KUNIT_EXPECT_EQ(test, ax_verify(code, 11, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, pk_eval(code, 11, &res), 0);
	KUNIT_EXPECT_EQ(test, res, pk_datum);

	/* The page after a one-page vmalloc area is a guard page. */
	guard = vmalloc(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, guard);
	addr = (unsigned long)guard + PAGE_SIZE;
	for (i = 0; i < 8; i++)
		code[1 + i] = (u8)(addr >> (56 - 8 * i));
	KUNIT_EXPECT_EQ(test, pk_eval(code, 11, &res), -EFAULT);
	vfree(guard);
}

/* ---- a whole trace over a fake agent ---- */

struct pk_agent {
	int armed;
	int stop_requests;
};

/* tp->probe is the agent's handle; proto/ disarms what has one. */
static int pk_arm(void *target, struct gtp_tracepoint *tp)
{
	((struct pk_agent *)target)->armed++;
	tp->probe = target;
	return 0;
}

static void pk_disarm(void *target, struct gtp_tracepoint *tp)
{
	((struct pk_agent *)target)->armed--;
	tp->probe = NULL;
}

static u64 pk_now(void *target)
{
	return 1;
}

static void pk_stop_request(void *target)
{
	((struct pk_agent *)target)->stop_requests++;
}

static const struct gtp_trace_ops pk_ops = {
	.arm = pk_arm,
	.disarm = pk_disarm,
	.now_us = pk_now,
	.stop_request = pk_stop_request,
};

static size_t pk_copy(void *dst, u64 src, size_t len, void *ctx)
{
	return pk_read(NULL, src, dst, len);
}

struct pk_trace {
	struct gtp_trace *t;
	struct pk_agent agent;
	u8 regs[RSP_REG_BLOCK_X86_64];
};

static void pk_trace_exit(struct kunit_resource *res)
{
	struct pk_trace *p = res->data;

	gtp_trace_release(p->t);
	vfree(p->t);
}

static int pk_trace_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static struct pk_trace *pk_trace_new(struct kunit *test)
{
	struct pk_trace *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	p->t = vzalloc(sizeof(*p->t));
	KUNIT_ASSERT_NOT_NULL(test, p->t);
	gtp_trace_init(p->t, &pk_ops, &p->agent, nr_cpu_ids, 256 * 1024,
		       false);
	kunit_alloc_resource(test, pk_trace_init, pk_trace_exit, GFP_KERNEL,
			     p);
	return p;
}

static void pk_define(struct kunit *test, struct pk_trace *p, const char *text)
{
	const char *why = NULL;
	int err = gtp_trace_define(p->t, text, strlen(text), &why);

	KUNIT_ASSERT_EQ_MSG(test, err, 0, "QTDP:%s: %s", text,
			    why ? why : "?");
}

/* A hit as the kprobe handler takes it: interrupts off, on this CPU. */
static void pk_hit(struct pk_trace *p, u32 num, u64 pc)
{
	struct gtp_tracepoint *tp = gtp_trace_find(p->t, num);
	struct gtp_hit hit = {
		.regs = p->regs,
		.regs_size = sizeof(p->regs),
		.copy = pk_copy,
		.task = (unsigned long)current,
		.pid = task_pid_nr(current),
	};
	unsigned long flags;
	int i;

	for (i = 0; i < 8; i++)
		p->regs[RSP_PC_OFFSET_X86_64 + i] = (u8)(pc >> (8 * i));
	local_irq_save(flags);
	hit.cpu = smp_processor_id();
	hit.time = ktime_get_mono_fast_ns();
	gtp_trace_hit(p->t, tp, &hit);
	local_irq_restore(flags);
}

/* Bytes of the frame's FID_MEM entries from @addr on, into @buf. */
static u32 pk_frame_mem(struct kunit *test, struct rb *rb, u64 n, u64 addr,
			u8 *buf, u32 len, u32 *holes)
{
	struct rb_frame_ref ref;
	struct rb_frame_iter it;
	struct rb_entry_view e;
	u32 got = 0;

	KUNIT_ASSERT_EQ(test, rb_index_get(rb, n, &ref), 0);
	rb_frame_iter_init(&it, rb, &ref);
	while (rb_frame_iter_next(&it, &e) > 0) {
		if (e.type != FID_MEM || e.addr < addr || e.addr >= addr + len)
			continue;
		memcpy(buf + (e.addr - addr), e.data,
		       min_t(u64, e.len, addr + len - e.addr));
		got += e.len;
		*holes += e.hole_len;
	}
	return got;
}

static void pk_trace_collects_across_a_hole(struct kunit *test)
{
	struct pk_trace *p = pk_trace_new(test);
	u64 pc = (unsigned long)pk_trace_new;
	const char *why = NULL;
	char text[128];
	u32 holes = 0;
	u8 *area, *got;

	/* Two pages of data, then the vmalloc guard page. */
	area = vmalloc(2 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, area);
	got = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, got);
	memset(area, 0x5a, 2 * PAGE_SIZE);

	snprintf(text, sizeof(text), "1:%llx:E:0:0", pc);
	pk_define(test, p, text);
	snprintf(text, sizeof(text), "-1:%llx:M-1,%lx,%lx", pc,
		 (unsigned long)area, 3 * PAGE_SIZE);
	pk_define(test, p, text);
	KUNIT_ASSERT_EQ(test, gtp_trace_start(p->t, &why), 0);
	KUNIT_EXPECT_EQ(test, p->agent.armed, 1);

	pk_hit(p, 1, pc);
	pk_hit(p, 1, pc);
	KUNIT_ASSERT_EQ(test, rb_index_refresh(p->t->rb), 0);
	KUNIT_EXPECT_EQ(test, rb_index_count(p->t->rb), 2);
	/* The readable pages, byte for byte; the guard page a hole. */
	KUNIT_EXPECT_EQ(test, pk_frame_mem(test, p->t->rb, 1,
					   (unsigned long)area, got,
					   3 * PAGE_SIZE, &holes),
			3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, holes, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(got, area, 2 * PAGE_SIZE), 0);

	KUNIT_EXPECT_EQ(test, gtp_trace_stop(p->t, GTP_STOP_USER), 0);
	KUNIT_EXPECT_EQ(test, p->agent.armed, 0);
	vfree(area);
}

static void pk_passcount_stops_from_the_hit(struct kunit *test)
{
	struct pk_trace *p = pk_trace_new(test);
	u64 pc = (unsigned long)pk_trace_new;
	const char *why = NULL;
	struct gtp_tp_stats st;
	char text[64];
	int i;

	snprintf(text, sizeof(text), "1:%llx:E:0:3", pc);
	pk_define(test, p, text);
	KUNIT_ASSERT_EQ(test, gtp_trace_start(p->t, &why), 0);
	for (i = 0; i < 5; i++)
		pk_hit(p, 1, pc);
	KUNIT_EXPECT_EQ(test, READ_ONCE(p->t->state), GTP_STOPPED);
	/* Pairs with the hit path's release: the reason is published. */
	KUNIT_EXPECT_EQ(test, smp_load_acquire(&p->t->stop),
			GTP_STOP_PASSCOUNT);
	KUNIT_EXPECT_EQ(test, p->agent.stop_requests, 1);
	gtp_tracepoint_stats(p->t, gtp_trace_find(p->t, 1), &st);
	KUNIT_EXPECT_EQ(test, st.hits, 3);
	/* What the agent's work does next: finish the stop. */
	KUNIT_EXPECT_EQ(test, gtp_trace_stop(p->t, GTP_STOP_NONE), 0);
	KUNIT_EXPECT_EQ(test, p->agent.armed, 0);
}

static void pk_condition_loop_stops_with_terror(struct kunit *test)
{
	struct pk_trace *p = pk_trace_new(test);
	u64 pc = (unsigned long)pk_trace_new;
	const char *why = NULL;
	char text[64];

	/*
	 * push 1; if_goto 0: for ever.  The way out (push 1; end) keeps
	 * the verifier's "condition leaves a value" satisfied.
	 */
	snprintf(text, sizeof(text), "1:%llx:E:0:0:X8,2201200000220127", pc);
	pk_define(test, p, text);
	KUNIT_ASSERT_EQ(test, gtp_trace_start(p->t, &why), 0);
	pk_hit(p, 1, pc);
	/* Acquire before error[], as the readers of a stop do. */
	KUNIT_EXPECT_EQ(test, smp_load_acquire(&p->t->stop), GTP_STOP_ERROR);
	KUNIT_EXPECT_NOT_NULL(test, strstr(p->t->error, "step limit"));
	KUNIT_EXPECT_EQ(test, gtp_trace_stop(p->t, GTP_STOP_NONE), 0);
}

static struct kunit_case proto_test_cases[] = {
	KUNIT_CASE(pk_verifier_refuses_bombs),
	KUNIT_CASE(pk_endless_loop_stops),
	KUNIT_CASE(pk_reads_kernel_memory),
	KUNIT_CASE(pk_trace_collects_across_a_hole),
	KUNIT_CASE(pk_passcount_stops_from_the_hit),
	KUNIT_CASE(pk_condition_loop_stops_with_terror),
	{}
};

static struct kunit_suite proto_test_suite = {
	.name = "gtp_proto",
	.test_cases = proto_test_cases,
};
kunit_test_suite(proto_test_suite);

MODULE_DESCRIPTION("KUnit suite of the gtp protocol core");
MODULE_LICENSE("GPL");
