/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data the traced test code works on, one definition for both of its
 * builds: the kernel module tests/target/gtp_target.c and the host
 * simulator's tests/host/sim_program.c.  The GDB sessions of
 * tests/gdb/cases.sh expect these exact values from either target.
 *
 * It defines the variables: include it from one file of a program only.
 * Plain C types, no headers, so it builds in the kernel and on the host.
 */
#ifndef GTP_TESTS_GTPT_DATA_H
#define GTP_TESTS_GTPT_DATA_H

#define GTPT_BIG_SIZE	(64 * 1024)
#define GTPT_HUGE_SIZE	(1024 * 1024)

struct gtpt_point {
	int x;
	int y;
	char name[16];
};

struct gtpt_bits {
	unsigned int lo:3;
	signed int mid:5;
	unsigned int hi:12;
};

/* Not static: GDB sees them; constant during a run. */
struct gtpt_point gtpt_origin = { 3, -4, "origin" };
struct gtpt_point gtpt_points[4] = {
	{ 1, 2, "one" }, { 10, 20, "two" }, { -7, 7, "three" }, { 0, 0, "" },
};
struct gtpt_point *gtpt_point_ptr = &gtpt_points[2];
struct gtpt_bits gtpt_bits = { 5, -9, 3000 };
signed char gtpt_schar = -100;
unsigned char gtpt_uchar = 200;
short gtpt_short = -1234;
unsigned short gtpt_ushort = 65000;
int gtpt_int = -123456;
unsigned int gtpt_uint = 4000000000u;
long gtpt_long = -9876543210L;
unsigned long long gtpt_ull = 0x8000000000000001ULL;
int gtpt_small[8] = { 1, -2, 3, -4, 5, -6, 7, -8 };
char gtpt_string[32] = "tracepoints over the wire";
char *gtpt_string_ptr = gtpt_string;
int *gtpt_null_ptr;

/* Large collections, filled by gtpt_fill() at start. */
unsigned char gtpt_big[GTPT_BIG_SIZE];
unsigned char gtpt_huge[GTPT_HUGE_SIZE];

/* Changes every tick. */
long gtpt_counter;
long gtpt_sum;

/* The byte at @off of the large arrays: a pattern no offset repeats. */
static inline unsigned char gtpt_pattern(unsigned long off)
{
	return (unsigned char)(off * 7 + (off >> 8) * 13 + (off >> 16));
}

static inline void gtpt_fill(void)
{
	unsigned long i;

	for (i = 0; i < GTPT_BIG_SIZE; i++)
		gtpt_big[i] = gtpt_pattern(i);
	for (i = 0; i < GTPT_HUGE_SIZE; i++)
		gtpt_huge[i] = gtpt_pattern(i);
}

#endif /* GTP_TESTS_GTPT_DATA_H */
