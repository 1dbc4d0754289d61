// SPDX-License-Identifier: GPL-2.0
/*
 * rb_frame_discard(): a writer that abandons its frame after copying into
 * it (the audio collector, whose source page was overwritten during the
 * copy) leaves no frame, no count and no trace in the ring's structure,
 * and the CPU's ring takes the next frame as if nothing had happened.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "gtp_port.h"
#include "rb/rb.h"

static u8 source[3 * 4096];

static void fill(u8 seed)
{
	size_t i;

	for (i = 0; i < sizeof(source); i++)
		source[i] = (u8)(i * 7 + seed);
}

/* One frame: a variable and @len bytes of source; discarded or committed. */
static int frame(struct rb *rb, u32 cpu, u32 tp, s64 var, u64 len,
		 bool discard)
{
	struct rb_writer w;
	int err;

	err = rb_frame_begin(rb, &w, cpu, tp, 1000 + var);
	if (err)
		return err;
	assert_int_equal(rb_frame_var(&w, 0x7f05, var), 0);
	assert_int_equal(rb_frame_mem(&w, (u64)(uintptr_t)source, len,
				      rb_copy_direct, NULL), 0);
	if (discard) {
		rb_frame_discard(&w);
		return 0;
	}
	return rb_frame_commit(&w);
}

static void assert_ring_sound(struct rb *rb, u32 cpu)
{
	u32 slot = 0, off = 0;

	assert_int_equal(rb_check_cpu(rb, cpu, &slot, &off), 0);
}

static void test_discard_leaves_nothing(void **state)
{
	struct rb_stats st;
	struct rb *rb;

	assert_int_equal(rb_create(&rb, 1, 16 * 4096, false), 0);
	fill(1);
	/* A frame over two ring pages (4 KiB of data plus headers). */
	assert_int_equal(frame(rb, 0, 1000, 7, 4096, true), 0);
	rb_stats_total(rb, &st);
	assert_int_equal(st.written, 0);
	assert_int_equal(st.frames, 0);
	assert_int_equal(st.dropped_full + st.dropped_nested + st.dropped_big, 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), 0);
	assert_ring_sound(rb, 0);
	rb_destroy(rb);
}

static void test_next_frame_after_discard(void **state)
{
	struct rb_frame_iter it;
	struct rb_entry_view e;
	struct rb_frame_ref ref;
	u8 got[4096];
	u32 done = 0;
	struct rb *rb;

	assert_int_equal(rb_create(&rb, 1, 16 * 4096, false), 0);
	fill(1);
	assert_int_equal(frame(rb, 0, 1000, 7, 4096, true), 0);
	/* Not nested: the CPU's writer slot was released. */
	fill(2);
	assert_int_equal(frame(rb, 0, 1000, 8, 4096, false), 0);
	assert_int_equal(rb_index_refresh(rb), 0);
	assert_int_equal(rb_index_count(rb), 1);
	assert_int_equal(rb_index_get(rb, 0, &ref), 0);
	assert_int_equal(ref.tp, 1000);
	/* Its bytes are the committed frame's, the discarded ones are gone. */
	rb_frame_iter_init(&it, rb, &ref);
	while (rb_frame_iter_next(&it, &e) > 0) {
		if (e.type == FID_VAR)
			assert_int_equal(e.value, 8);
		if (e.type != FID_MEM)
			continue;
		assert_true(done + e.len <= sizeof(got));
		memcpy(got + done, e.data, e.len);
		done += e.len;
	}
	assert_int_equal(done, 4096);
	assert_memory_equal(got, source, 4096);
	assert_ring_sound(rb, 0);
	rb_destroy(rb);
}

/*
 * Many discards in a row do not fill a stop-when-full ring: the space of
 * a discarded frame is the next frame's.
 */
static void test_discards_take_no_space(void **state)
{
	struct rb_stats st;
	struct rb *rb;
	int i;

	assert_int_equal(rb_create(&rb, 1, 4 * 4096, false), 0);
	fill(3);
	for (i = 0; i < 100; i++)
		assert_int_equal(frame(rb, 0, 1000, i, 4096, true), 0);
	assert_int_equal(frame(rb, 0, 1000, 100, 4096, false), 0);
	rb_stats_total(rb, &st);
	assert_int_equal(st.written, 1);
	assert_int_equal(st.dropped_full, 0);
	assert_ring_sound(rb, 0);
	rb_destroy(rb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discard_leaves_nothing),
		cmocka_unit_test(test_next_frame_after_discard),
		cmocka_unit_test(test_discards_take_no_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
