// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated block fills pages with adump_pattern_page(), written for
 * speed; adump_pattern_sample() is the definition the VM tests and
 * scripts/adump2wav's checks use.  They must agree on every byte, also
 * where the frame number wraps 32 bits (page 2^25).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gtp_port.h"
#include "hw/adump_pattern.h"

static void check_page(u64 page)
{
	u8 buf[ADUMP_PAGE_SIZE];
	u32 f, ch;

	adump_pattern_page(page, buf);
	for (f = 0; f < ADUMP_FRAMES_PER_PAGE; f++)
		for (ch = 0; ch < ADUMP_CHANNELS; ch++) {
			const u8 *p = buf + (f * ADUMP_CHANNELS + ch) * 4;
			u32 got = p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;

			if (got != adump_pattern_sample(page, f, ch))
				fail_msg("page %llu frame %u channel %u: %#x, not %#x",
					 (unsigned long long)page, f, ch, got,
					 adump_pattern_sample(page, f, ch));
		}
}

static void test_page_matches_definition(void **state)
{
	const u64 wrap = 1ULL << 25;	/* frame number 2^32 */
	u64 p;

	for (p = 0; p < 2000; p++)
		check_page(p);
	for (p = wrap - 3; p < wrap + 3; p++)
		check_page(p);
	for (p = 65530; p < 65542; p++)		/* the counter's wrap */
		check_page(p);
	check_page(0xfffffffffULL);
}

/* What the VM tests expect of page 1, frame 0 (x/4xw in GDB). */
static void test_known_values(void **state)
{
	assert_int_equal(adump_pattern_sample(1, 0, 0), 0x2c5f9280);
	assert_int_equal(adump_pattern_sample(1, 0, 1), 0x58bf2500);
	assert_int_equal(adump_pattern_sample(1, 0, 7), 128);
	assert_int_equal(adump_pattern_sample(0, 0, 3), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_matches_definition),
		cmocka_unit_test(test_known_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
