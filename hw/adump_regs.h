/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The FPGA audio-dump block: its register map and the constants of the
 * audio it dumps, in one place for the collector, the simulator and the
 * tools.  From the Chameleon board's AudioDumper (see
 * Documentation/fpga-collector.rst).
 *
 * The block writes 4 KiB pages of audio one after another into a ring of
 * pages in the dump area, between the start and end addresses, and counts
 * the pages it has completed in a 16-bit counter that wraps at 65536.
 */
#ifndef GTP_HW_ADUMP_REGS_H
#define GTP_HW_ADUMP_REGS_H

/* Registers, as offsets into the block's register window (32-bit). */
#define ADUMP_REG_CONTROL	0x00	/* ADUMP_CONTROL_RUN */
#define ADUMP_REG_OVERFLOW	0x04	/* ADUMP_OVERFLOW_BIT: block overran */
#define ADUMP_REG_START		0x08	/* ring start, offset from dump base */
#define ADUMP_REG_END		0x0c	/* ring end (exclusive), same */
#define ADUMP_REG_LOOP		0x10	/* 1: restart at start after end */
#define ADUMP_REG_PAGE_COUNT	0x14	/* pages completed, mod 65536 */
#define ADUMP_REG_WINDOW	0x18	/* size of the register window */

#define ADUMP_CONTROL_RUN	(1u << 1)	/* counter starts at 0 */
#define ADUMP_OVERFLOW_BIT	(1u << 0)

/* Start and end are 4 KiB aligned offsets from the dump base. */
#define ADUMP_PAGE_SIZE		4096u
#define ADUMP_COUNT_WRAP	0x10000u	/* the page counter's modulus */

/* The board's default ring: 0x1c000000..0x1e000000, 32 MiB, 8192 pages. */
#define ADUMP_DEFAULT_START	0x1c000000u
#define ADUMP_DEFAULT_END	0x1e000000u

/* The audio: raw S32_LE, 8 channels, 48 kHz. */
#define ADUMP_CHANNELS		8u
#define ADUMP_SAMPLE_BYTES	4u
#define ADUMP_RATE_HZ		48000u
#define ADUMP_FRAME_BYTES	(ADUMP_CHANNELS * ADUMP_SAMPLE_BYTES)	/* 32 */
#define ADUMP_FRAMES_PER_PAGE	(ADUMP_PAGE_SIZE / ADUMP_FRAME_BYTES)	/* 128 */
/* 48000 / 128: the board's page rate, pages per second. */
#define ADUMP_BOARD_PAGES_PER_S	375u

#endif /* GTP_HW_ADUMP_REGS_H */
