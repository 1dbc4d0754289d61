// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the trace file header (proto/tfile.c): the exact text for
 * a small stopped trace, the same bytes on every call, -E2BIG on a short
 * buffer, and lines too long for GDB made shorter or left out.  The trace
 * is built through proto/trace.c's own operations, as the packet handlers
 * build it, with a fake agent whose probes only record that they are set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "gtp_port.h"
#include "proto/hex.h"
#include "proto/packets.h"
#include "proto/tfile.h"
#include "proto/trace.h"
#include "rb/rb.h"

#define N_CPUS		2
#define BUF_SIZE	(64 * 1024)
#define TP1		0xffffffff81000000ULL
#define DATA		0xffffffff82000000ULL
#define START_US	0x5f5e100ULL
#define STOP_US		0x5f5e1ffULL

/* A two-line description, to see tdesc lines split at newlines. */
static const char tdesc[] = "<target>\n<architecture>i386:x86-64</architecture>\n</target>\n";

struct fake {
	struct gtp_trace t;
	struct gtp_trace_ops ops;
	u64 now;
	u8 g[RSP_REG_BLOCK_X86_64];
	char buf[BUF_SIZE];
	char again[BUF_SIZE];
	char expect[BUF_SIZE];
};

static int fake_arm(void *target, struct gtp_tracepoint *tp)
{
	tp->probe = target;
	return 0;
}

static void fake_disarm(void *target, struct gtp_tracepoint *tp)
{
	tp->probe = NULL;
}

static u64 fake_now(void *target)
{
	struct fake *f = target;

	return f->now;
}

static void fake_stop_request(void *target)
{
}

/* Memory of the fake kernel: every byte is its address's low byte. */
static size_t fake_copy(void *dst, u64 src, size_t len, void *ctx)
{
	u8 *d = dst;
	size_t i;

	for (i = 0; i < len; i++)
		d[i] = (u8)(src + i);
	return len;
}

static int setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->ops.arm = fake_arm;
	f->ops.disarm = fake_disarm;
	f->ops.now_us = fake_now;
	f->ops.stop_request = fake_stop_request;
	gtp_trace_init(&f->t, &f->ops, f, N_CPUS, 64 * 1024, false);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fake *f = *state;

	gtp_trace_release(&f->t);
	free(f);
	return 0;
}

static void hex_of(char *out, const char *text)
{
	size_t i, n = strlen(text);

	for (i = 0; i < n; i++) {
		out[2 * i] = rsp_hex_digit((u8)text[i] >> 4);
		out[2 * i + 1] = rsp_hex_digit((u8)text[i]);
	}
	out[2 * n] = 0;
}

/* Packet payloads, without their "QTDP:" (and so on) names. */
static void define(struct fake *f, const char *args)
{
	const char *why = NULL;

	if (gtp_trace_define(&f->t, args, strlen(args), &why))
		fail_msg("QTDP:%s refused: %s", args, why ? why : "?");
}

static void add_src(struct fake *f, const char *type, const char *text)
{
	char args[512], hex[256];

	hex_of(hex, text);
	snprintf(args, sizeof(args), "1:%llx:%s:0:%zx:%s",
		 (unsigned long long)TP1, type, strlen(text), hex);
	assert_int_equal(gtp_trace_add_src(&f->t, args, strlen(args)), 0);
}

static void hit(struct fake *f, u32 cpu, u64 time)
{
	struct gtp_tracepoint *tp = gtp_trace_find(&f->t, 1);
	struct gtp_hit h = {
		.cpu = cpu,
		.time = time,
		.regs = f->g,
		.regs_size = sizeof(f->g),
		.copy = fake_copy,
	};

	u64 pc = TP1;
	int i;

	assert_non_null(tp);
	/* The `g` block of a hit: rip is where the probe was. */
	for (i = 0; i < 8; i++, pc >>= 8)
		f->g[RSP_PC_OFFSET_X86_64 + i] = (u8)pc;
	gtp_trace_hit(&f->t, tp, &h);
}

/* Tracepoint 1 collecting registers and 8 bytes, a variable, two hits. */
static void small_trace(struct fake *f)
{
	const char *why = NULL;
	char tsv[64], hex[32];

	define(f, "1:ffffffff81000000:E:0:0-");
	define(f, "-1:ffffffff81000000:R3ffffffff-");
	define(f, "-1:ffffffff81000000:M-1,ffffffff82000000,8");
	add_src(f, "at", "*0xffffffff81000000");
	add_src(f, "cmd", "collect $regs");
	hex_of(hex, "count");
	snprintf(tsv, sizeof(tsv), "1:5:0:%s", hex);
	assert_int_equal(gtp_trace_define_tsv(&f->t, tsv, strlen(tsv)), 0);

	f->now = START_US;
	assert_int_equal(gtp_trace_start(&f->t, &why), 0);
	hit(f, 0, 1000);
	hit(f, 1, 2000);
	f->now = STOP_US;
	strscpy(f->t.stop_note, "done", sizeof(f->t.stop_note));
	strscpy(f->t.user, "me", sizeof(f->t.user));
	strscpy(f->t.notes, "n", sizeof(f->t.notes));
	assert_int_equal(gtp_trace_stop(&f->t, GTP_STOP_USER), 0);
}

/* "tsv" lines of the agent's own variables, which come first. */
static size_t special_tsv_lines(const struct gtp_trace *t, char *out,
				size_t size)
{
	size_t n = 0;
	u32 i;

	for (i = 0; i < t->nr_tsvs; i++) {
		const struct gtp_tsv *v = &t->tsvs[i];

		if (v->special == GTP_TSV_PLAIN)
			continue;
		n += snprintf(out + n, size - n, "tsv %x:%llx:%d:%s\n", v->num,
			      (unsigned long long)v->init, v->builtin, v->name);
	}
	return n;
}

static void test_header_exact(void **state)
{
	struct fake *f = *state;
	struct rb_stats st;
	size_t n = 0;
	s64 len;

	small_trace(f);
	rb_stats_total(f->t.rb, &st);
	assert_int_equal(st.frames, 2);
	assert_int_equal(rb_index_refresh(f->t.rb), 0);

	n += snprintf(f->expect + n, BUF_SIZE - n,
		      "\x7fTRACE0\n"
		      "R 230\n"
		      "tdesc <target>\n"
		      "tdesc <architecture>i386:x86-64</architecture>\n"
		      "tdesc </target>\n"
		      "status 0;tstop:646f6e65:0;tframes:2;tcreated:2;"
		      "tsize:%llx;tfree:%llx;circular:0;disconn:0;"
		      "starttime:5f5e100;stoptime:5f5e1ff;"
		      "username:6d65;notes:6e\n",
		      (unsigned long long)(st.bytes_used + st.bytes_free),
		      (unsigned long long)st.bytes_free);
	n += special_tsv_lines(&f->t, f->expect + n, BUF_SIZE - n);
	n += snprintf(f->expect + n, BUF_SIZE - n,
		      "tsv 1:5:0:636f756e74\n"
		      "tp T1:ffffffff81000000:E:0:0\n"
		      "tp A1:ffffffff81000000:R3ffffffff\n"
		      "tp A1:ffffffff81000000:M-1,ffffffff82000000,8\n"
		      "tp Z1:ffffffff81000000:at:0:13:%s\n"
		      "tp Z1:ffffffff81000000:cmd:0:d:%s\n"
		      "tp V1:ffffffff81000000:2:%llx\n"
		      "\n",
		      "2a307866666666666666663831303030303030",
		      "636f6c6c656374202472656773",
		      /* The tracepoint wrote every frame there is. */
		      (unsigned long long)rb_stream_size(f->t.rb));

	len = gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64, tdesc, f->buf,
			       BUF_SIZE);
	assert_true(len > 0);
	f->buf[len] = 0;
	assert_string_equal(f->buf, f->expect);
	assert_int_equal(len, n);
	assert_int_equal(gtp_tfile_header_size(&f->t, RSP_REG_BLOCK_X86_64,
					       tdesc), n);
}

/* No buffer yet, no definitions: still a header GDB opens. */
static void test_header_empty(void **state)
{
	struct fake *f = *state;
	size_t n = 0;
	s64 len;

	n += snprintf(f->expect + n, BUF_SIZE - n,
		      "\x7fTRACE0\nR 230\n"
		      "status 0;tnotrun:0;circular:0;disconn:0;"
		      "starttime:0;stoptime:0;username:;notes:\n");
	n += special_tsv_lines(&f->t, f->expect + n, BUF_SIZE - n);
	n += snprintf(f->expect + n, BUF_SIZE - n, "\n");
	len = gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64, NULL, f->buf,
			       BUF_SIZE);
	assert_int_equal(len, n);
	f->buf[len] = 0;
	assert_string_equal(f->buf, f->expect);
}

static void test_header_deterministic(void **state)
{
	struct fake *f = *state;
	s64 a, b;

	small_trace(f);
	a = gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64, tdesc, f->buf,
			     BUF_SIZE);
	b = gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64, tdesc, f->again,
			     BUF_SIZE);
	assert_true(a > 0);
	assert_int_equal(a, b);
	assert_memory_equal(f->buf, f->again, a);
	/* Reading the frames does not change it either. */
	assert_int_equal(rb_index_refresh(f->t.rb), 0);
	assert_true(rb_stream_size(f->t.rb) > 0);
	b = gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64, tdesc, f->again,
			     BUF_SIZE);
	assert_int_equal(a, b);
	assert_memory_equal(f->buf, f->again, a);
}

static void test_header_too_small(void **state)
{
	struct fake *f = *state;
	size_t need;
	s64 len;

	small_trace(f);
	need = gtp_tfile_header_size(&f->t, RSP_REG_BLOCK_X86_64, tdesc);
	assert_true(need > GTP_TFILE_MAGIC_LEN);
	assert_int_equal(gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64, tdesc,
					  NULL, 0), -E2BIG);
	assert_int_equal(gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64, tdesc,
					  f->buf, 16), -E2BIG);
	/* Nothing is written past the buffer it was given. */
	memset(f->buf, 0x5a, BUF_SIZE);
	assert_int_equal(gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64, tdesc,
					  f->buf, need - 1), -E2BIG);
	assert_int_equal((u8)f->buf[need - 1], 0x5a);
	len = gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64, tdesc, f->buf,
			       need);
	assert_int_equal(len, need);
	assert_int_equal(f->buf[need - 1], '\n');
	assert_int_equal(f->buf[need - 2], '\n');
}

/* The longest line of @text (newline not counted). */
static size_t longest_line(const char *text, size_t len)
{
	size_t best = 0, cur = 0, i;

	for (i = 0; i < len; i++) {
		if (text[i] == '\n') {
			best = cur > best ? cur : best;
			cur = 0;
		} else {
			cur++;
		}
	}
	return best;
}

/*
 * A condition, an action and notes each too long for one of GDB's
 * 1000-byte lines: the tracepoint keeps its line without the condition,
 * the action is left out, the status loses user name and notes.
 */
static void test_header_long_lines(void **state)
{
	struct fake *f = *state;
	static char code[2 * 700 + 1], args[2 * 700 + 128];
	size_t i, n = 0;
	s64 len;

	/* const8 1, pop, ... const8 1, end: 603 bytes that verify. */
	for (i = 0; i < 200; i++)
		n += sprintf(code + n, "220129");
	n += sprintf(code + n, "220127");
	snprintf(args, sizeof(args), "1:ffffffff81000000:E:0:0:X%zx,%s-",
		 n / 2, code);
	define(f, args);
	snprintf(args, sizeof(args), "-1:ffffffff81000000:X%08zx,%s-", n / 2,
		 code);
	define(f, args);
	define(f, "-1:ffffffff81000000:R3ffffffff");
	memset(f->t.user, 'u', sizeof(f->t.user) - 1);
	memset(f->t.notes, 'n', sizeof(f->t.notes) - 1);

	len = gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64, NULL, f->buf,
			       BUF_SIZE - 1);
	assert_true(len > 0);
	f->buf[len] = 0;
	assert_true(longest_line(f->buf, len) <= GTP_TFILE_LINE_MAX);
	assert_non_null(strstr(f->buf, "\ntp T1:ffffffff81000000:E:0:0\n"));
	assert_null(strstr(f->buf, ":X"));
	assert_non_null(strstr(f->buf,
			       "\ntp A1:ffffffff81000000:R3ffffffff\n"));
	assert_non_null(strstr(f->buf, ";stoptime:0\n"));
	assert_null(strstr(f->buf, "username"));
	assert_int_equal(gtp_tfile_header_size(&f->t, RSP_REG_BLOCK_X86_64,
					       NULL), len);

	/* qTStatus and qTfP still send everything. */
	{
		struct gtp_text o;
		u32 tp = 0, piece = 0;

		gtp_text_init(&o, f->again, BUF_SIZE);
		gtp_status_text(&o, &f->t, true);
		assert_false(gtp_text_overflow(&o));
		assert_true(o.len > GTP_TFILE_LINE_MAX);
		gtp_text_init(&o, f->again, BUF_SIZE);
		assert_true(gtp_upload_piece_text(&o, &f->t, &tp, &piece));
		assert_int_equal(o.len, strlen("T1:ffffffff81000000:E:0:0:X") +
				 strlen("25b,") + n);
	}
}

/* GDB's output @out has @what in it, or has not; show it when wrong. */
static void expect_out(const char *out, const char *what, bool there)
{
	if (!strstr(out, what) == !there)
		return;
	print_message("gdb said:\n%s", out);
	fail_msg("\"%s\" %s GDB's output", what, there ? "not in" : "in");
}

/*
 * The whole file, header, frame section and end, as the agent's gtpframe
 * serves it, opened by the real GDB: `target tfile` must take it and find
 * both frames with their registers and memory.  Skipped without gdb.
 */
static void test_gdb_reads_file(void **state)
{
	struct fake *f = *state;
	char path[] = "/tmp/gtp-tfile-XXXXXX", cmd[512], line[512];
	static char out[16384];
	size_t n = 0;
	s64 len, sl;
	FILE *fp;
	int fd;

	if (system("command -v gdb >/dev/null 2>&1")) {
		skip();
		return;
	}
	small_trace(f);
	assert_int_equal(rb_index_refresh(f->t.rb), 0);
	len = gtp_tfile_header(&f->t, RSP_REG_BLOCK_X86_64,
			       rsp_target_xml_x86_64_linux, f->buf, BUF_SIZE);
	assert_true(len > 0);
	sl = rb_stream_read(f->t.rb, 0, f->buf + len, BUF_SIZE - len - 2);
	assert_int_equal(sl, rb_stream_size(f->t.rb));
	len += sl;
	f->buf[len++] = 0;
	f->buf[len++] = 0;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(f->buf, 1, len, fp), len);
	fclose(fp);
	snprintf(cmd, sizeof(cmd),
		 "timeout 60 gdb -nx -batch -ex 'target tfile %s' %s %s 2>&1",
		 path, "-ex tstatus -ex 'info tracepoints' -ex 'tfind 0'",
		 "-ex 'printf \"rip=%lx\\n\", $rip' -ex 'x/8xb 0xffffffff82000000' -ex 'tfind 1' -ex 'tfind 2'");
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) && n + strlen(line) < sizeof(out))
		n += snprintf(out + n, sizeof(out) - n, "%s", line);
	pclose(fp);
	unlink(path);

	expect_out(out, "Collected 2 trace frames", true);
	expect_out(out, "collect $regs", true);
	expect_out(out, "Found trace frame 0, tracepoint 1", true);
	expect_out(out, "rip=ffffffff81000000", true);
	expect_out(out, "0x00\t0x01\t0x02\t0x03\t0x04\t0x05\t0x06\t0x07",
		   true);
	expect_out(out, "Found trace frame 1, tracepoint 1", true);
	expect_out(out, "Found trace frame 2", false);
	expect_out(out, "Ignoring", false);
	expect_out(out, "arning", false);
}

/* struct gtp_text counts what does not fit, and writes none of it. */
static void test_text(void **state)
{
	struct gtp_text o;
	char buf[8];

	memset(buf, 'z', sizeof(buf));
	gtp_text_init(&o, buf, 4);
	gtp_text_str(&o, "ab");
	gtp_text_u64(&o, 0x1f);
	assert_false(gtp_text_overflow(&o));
	assert_memory_equal(buf, "ab1f", 4);
	gtp_text_hex(&o, "\x01\xab", 2);
	gtp_text_char(&o, '!');
	assert_true(gtp_text_overflow(&o));
	assert_int_equal(o.len, 9);
	assert_memory_equal(buf, "ab1fzzzz", 8);
	gtp_text_init(&o, NULL, 0);
	gtp_text_u64(&o, 0);
	assert_int_equal(o.len, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_header_exact),
		T(test_header_empty),
		T(test_header_deterministic),
		T(test_header_too_small),
		T(test_header_long_lines),
		T(test_gdb_reads_file),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
