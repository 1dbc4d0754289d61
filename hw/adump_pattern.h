/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The audio the simulated block produces (hw/adump_sim.c): every sample
 * follows from its page's logical number, its frame in the page and its
 * channel, so a test can check any collected page byte for byte without
 * keeping a copy, and a listener hears what went where.
 *
 * With n = page * ADUMP_FRAMES_PER_PAGE + frame, the frame's number since
 * the block started:
 *
 *   channels 0..6: a full-scale sawtooth of 440 Hz * (channel + 1),
 *                  (s32)(n * (channel + 1) * ADUMP_PATTERN_STEP)
 *   channel 7:     n itself (low 32 bits): order and loss, sample-exact
 *
 * ADUMP_PATTERN_STEP is 2^32 * 440 / 48000: a 32-bit phase that wraps 440
 * times a second at 48 kHz.  scripts/adump2wav and the VM tests use the
 * same formula.
 */
#ifndef GTP_HW_ADUMP_PATTERN_H
#define GTP_HW_ADUMP_PATTERN_H

#include "hw/adump_regs.h"

#define ADUMP_PATTERN_STEP	39370533u
#define ADUMP_PATTERN_COUNTER_CH	7u

static inline u32 adump_pattern_sample(u64 page, u32 frame, u32 ch)
{
	u64 n = page * ADUMP_FRAMES_PER_PAGE + frame;

	if (ch == ADUMP_PATTERN_COUNTER_CH)
		return (u32)n;
	return (u32)n * (ch + 1) * ADUMP_PATTERN_STEP;
}

/*
 * Fill one page (ADUMP_PAGE_SIZE bytes, little-endian samples) with the
 * samples adump_pattern_sample() defines, without its multiplications:
 * a = n * ADUMP_PATTERN_STEP grows by the step from one frame to the
 * next, and channel ch's sample is (ch + 1) * a (mod 2^32), a shift or
 * an lea.  The simulator fills up to tens of thousands of pages a second
 * under emulation, where this is most of its work.
 */
static inline void adump_pattern_page(u64 page, void *dst)
{
	u32 n = (u32)(page * ADUMP_FRAMES_PER_PAGE);
	u32 a = n * ADUMP_PATTERN_STEP;
	__le32 *s = dst;
	u32 f;

	for (f = 0; f < ADUMP_FRAMES_PER_PAGE; f++) {
		s[0] = cpu_to_le32(a);
		s[1] = cpu_to_le32(2 * a);
		s[2] = cpu_to_le32(3 * a);
		s[3] = cpu_to_le32(4 * a);
		s[4] = cpu_to_le32(5 * a);
		s[5] = cpu_to_le32(6 * a);
		s[6] = cpu_to_le32(7 * a);
		s[ADUMP_PATTERN_COUNTER_CH] = cpu_to_le32(n);
		s += ADUMP_CHANNELS;
		a += ADUMP_PATTERN_STEP;
		n++;
	}
}

#endif /* GTP_HW_ADUMP_PATTERN_H */
