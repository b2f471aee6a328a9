/*
 * libjpeg-turbo's SIMD interface (jsimd.h) for WebAssembly SIMD128: the decoder's hot loops (accurate integer
 * IDCT at 8x8 and its 4x4 and 2x2 reductions, YCbCr -> RGB, h2v2 "fancy" chroma upsampling) written with
 * wasm_simd128.h intrinsics. libjpeg-turbo's own SIMD is native assembly (x86) or NEON, neither of which
 * builds for WebAssembly, so without this file the module runs the library's plain C.
 *
 * Every routine computes exactly what the C routine it replaces computes (jidctint.c, jidctred.c, jdcolext.c,
 * jdsample.c), including 32-bit wraparound and the C code's zero-coefficient shortcuts, so the decoded pixels
 * are identical with and without it (wasm/jpeg/build.sh's check decodes a set of files both ways). The IDCTs
 * work in 16-bit lanes, eight at a time, where a block's values allow it (every real JPEG's do), and in exact
 * 32-bit lanes otherwise.
 * Everything else, and every compression routine, reports "not available" and libjpeg uses its C code.
 */
#define JPEG_INTERNALS
#include "jinclude.h"
#include "jpeglib.h"
#include "jsimd.h"
#include "jdct.h"
#include "jsimddct.h"

#include <wasm_simd128.h>

#if BITS_IN_JSAMPLE != 8 || DCTSIZE != 8
#error "built for 8-bit samples and 8x8 blocks only"
#endif

/* The build's check compiles the module a second time with -DEDGEPIX_NO_SIMD, which turns everything off. */
#ifdef EDGEPIX_NO_SIMD
#define AVAILABLE 0
#else
#define AVAILABLE 1
#endif

#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)

/* ------------------------------------------------------------------------------------------------------------
 * Shared IDCT helpers (i32x4 lanes, arithmetic exactly as jidctint.c/jidctred.c with 32-bit JLONG)
 */

#define CONST_BITS 13

static inline v128_t mulc(v128_t v, int32_t c) { return wasm_i32x4_mul(v, wasm_i32x4_splat(c)); }

/* DESCALE(x, n): round, then arithmetic shift right. */
static inline v128_t descale(v128_t x, int n) {
  return wasm_i32x4_shr(wasm_i32x4_add(x, wasm_i32x4_splat(1 << (n - 1))), n);
}

/* range_limit[x & RANGE_MASK] of jdct.h's post-IDCT table: x taken as a 10-bit signed value, plus
 * CENTERJSAMPLE, clamped to 0..255 (the clamp happens in the saturating narrows of the callers). */
static inline v128_t centred(v128_t x) {
  return wasm_i32x4_add(wasm_i32x4_shr(wasm_i32x4_shl(x, 22), 22), wasm_i32x4_splat(CENTERJSAMPLE));
}

/* Two i32x4 and two i32x4 -> sixteen bytes, saturating (0..255). */
static inline v128_t pack_u8(v128_t a, v128_t b, v128_t c, v128_t d) {
  return wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(a, b), wasm_i16x8_narrow_i32x4(c, d));
}

static inline void transpose4(v128_t *a, v128_t *b, v128_t *c, v128_t *d) {
  v128_t t0 = wasm_i32x4_shuffle(*a, *b, 0, 4, 1, 5); /* a0 b0 a1 b1 */
  v128_t t1 = wasm_i32x4_shuffle(*a, *b, 2, 6, 3, 7); /* a2 b2 a3 b3 */
  v128_t t2 = wasm_i32x4_shuffle(*c, *d, 0, 4, 1, 5); /* c0 d0 c1 d1 */
  v128_t t3 = wasm_i32x4_shuffle(*c, *d, 2, 6, 3, 7); /* c2 d2 c3 d3 */
  *a = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5);
  *b = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
  *c = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5);
  *d = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
}

/* Dequantized coefficients of one block as i32x4: q[row][half], half 0 = columns 0-3, 1 = columns 4-7. */
/* ISLOW_MULT_TYPE is libjpeg's MULTIPLIER: int in a build without libjpeg-turbo's own SIMD (this one), short
 * with it. DEQUANTIZE multiplies in int either way. */
static inline void dequantize(const JCOEF *coef, const ISLOW_MULT_TYPE *quant, v128_t q[8][2]) {
  for (int r = 0; r < 8; r++) {
    v128_t c = LOAD(coef + 8 * r);
    v128_t m0, m1;
    if (sizeof(ISLOW_MULT_TYPE) == 4) {
      m0 = LOAD(quant + 8 * r);
      m1 = LOAD(quant + 8 * r + 4);
    } else {
      v128_t m = LOAD(quant + 8 * r);
      m0 = wasm_i32x4_extend_low_i16x8(m);
      m1 = wasm_i32x4_extend_high_i16x8(m);
    }
    q[r][0] = wasm_i32x4_mul(wasm_i32x4_extend_low_i16x8(c), m0);
    q[r][1] = wasm_i32x4_mul(wasm_i32x4_extend_high_i16x8(c), m1);
  }
}

/* Lanes (as i32x4 masks) of the columns whose coefficients in `rows` (a bit set of rows 1-7) are all zero. */
static inline void zero_columns(const JCOEF *coef, unsigned rows, v128_t mask[2]) {
  v128_t any = wasm_i16x8_splat(0);
  for (int r = 1; r < 8; r++)
    if (rows & (1u << r)) any = wasm_v128_or(any, LOAD(coef + 8 * r));
  v128_t zero = wasm_i16x8_eq(any, wasm_i16x8_splat(0));
  mask[0] = wasm_i32x4_extend_low_i16x8(zero);
  mask[1] = wasm_i32x4_extend_high_i16x8(zero);
}


/* True when every AC coefficient of the block is zero: the output is then one flat value, the one libjpeg's
 * zero-column and zero-row shortcuts produce, clamp(sext10(DESCALE(DEQUANTIZE(dc) << PASS1_BITS, PASS1_BITS + 3))
 * + CENTERJSAMPLE). Common in smooth areas and in chroma. */
static inline int dc_only(const JCOEF *coef) {
  v128_t any = wasm_v128_and(LOAD(coef), wasm_i16x8_make(0, -1, -1, -1, -1, -1, -1, -1));
  for (int r = 1; r < 8; r++) any = wasm_v128_or(any, LOAD(coef + 8 * r));
  return !wasm_v128_any_true(any);
}

static inline JSAMPLE dc_value(const JCOEF *coef, const ISLOW_MULT_TYPE *quant, int pass1_bits) {
  /* In uint32_t where the C code may wrap, as the i32x4 lanes do. */
  uint32_t dc = (uint32_t)((int32_t)coef[0] * (int32_t)quant[0]) << pass1_bits;
  int32_t x = (int32_t)(dc + (1u << (pass1_bits + 2))) >> (pass1_bits + 3);
  x = (int32_t)((uint32_t)x << 22) >> 22;
  x += CENTERJSAMPLE;
  return (JSAMPLE)(x < 0 ? 0 : x > MAXJSAMPLE ? MAXJSAMPLE : x);
}

/* The 16-bit forms below (eight columns or rows per vector, products summed in pairs by i32x4.dot_i16x8, the
 * pmaddwd of libjpeg-turbo's SSE2 IDCTs) give the C code's exact sums when their 16-bit inputs equal the C
 * code's values: their products and sums are the C code's, regrouped, and stay far inside 32 bits. That holds
 * for every real JPEG. A block whose dequantized coefficients or pass-1 results do not fit takes the i32 form,
 * which follows the C code step by step, wraparound included. Within these bounds the C code's zero-column and
 * zero-row shortcuts give what the full computation gives, so the 16-bit forms need not test for them. */

static inline v128_t zip_lo(v128_t a, v128_t b) { return wasm_i16x8_shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11); }
static inline v128_t zip_hi(v128_t a, v128_t b) { return wasm_i16x8_shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15); }
static inline v128_t zip(v128_t a, v128_t b, int h) { return h ? zip_hi(a, b) : zip_lo(a, b); }

/* x * a + y * b for each (x, y) pair of zipped lanes, in i32. */
static inline v128_t dot(v128_t pairs, int32_t a, int32_t b) {
  return wasm_i32x4_dot_i16x8(pairs, wasm_i16x8_make(a, b, a, b, a, b, a, b));
}

/* Dequantized rows (bit set `rows`) as i16x8. Fails (returns 0) unless every product lies in -16384..16383:
 * q15mulr_sat is round(c * q / 2^15), zero exactly in that range. A quantizer above 32767 narrows to 32767,
 * which is harmless: with c != 0 the product is out of range either way, with c == 0 it is 0. */
static inline int dequantize16(const JCOEF *coef, const ISLOW_MULT_TYPE *quant, unsigned rows, v128_t dq[8]) {
  v128_t over = wasm_i16x8_splat(0);
  for (int r = 0; r < 8; r++) {
    if (!(rows & (1u << r))) continue;
    v128_t c = LOAD(coef + 8 * r);
    v128_t q = sizeof(ISLOW_MULT_TYPE) == 4 ? wasm_i16x8_narrow_i32x4(LOAD(quant + 8 * r), LOAD(quant + 8 * r + 4))
                                            : LOAD(quant + 8 * r);
    dq[r] = wasm_i16x8_mul(c, q);
    over = wasm_v128_or(over, wasm_i16x8_q15mulr_sat(c, q));
  }
  return !wasm_v128_any_true(over);
}

/* Pass-1 results, saturated to i16, that lie in -16384..16383 leave the sign bit of x + 0x4000 clear. */
static inline v128_t outside16(v128_t x) { return wasm_i16x8_add(x, wasm_i16x8_splat(0x4000)); }
static inline int fits16(v128_t ored) { return !wasm_v128_any_true(wasm_v128_and(ored, wasm_i16x8_splat(-0x8000))); }

/* Two i16x8 of values within -512..511 (the IDCT's output, already reduced to ten bits) -> sixteen samples,
 * value + CENTERJSAMPLE clamped to 0..255: a saturating narrow to i8, then + 128 as a bit flip. */
static inline v128_t samples(v128_t a, v128_t b) {
  return wasm_v128_xor(wasm_i8x16_narrow_i16x8(a, b), wasm_i8x16_splat((char)0x80));
}

/* ------------------------------------------------------------------------------------------------------------
 * Accurate integer IDCT, 8x8 (jidctint.c, jpeg_idct_islow)
 */

#define PASS1_BITS 2
#define FIX_0_298631336 ((int32_t)2446)
#define FIX_0_390180644 ((int32_t)3196)
#define FIX_0_541196100 ((int32_t)4433)
#define FIX_0_765366865 ((int32_t)6270)
#define FIX_0_899976223 ((int32_t)7373)
#define FIX_1_175875602 ((int32_t)9633)
#define FIX_1_501321110 ((int32_t)12299)
#define FIX_1_847759065 ((int32_t)15137)
#define FIX_1_961570560 ((int32_t)16069)
#define FIX_2_053119869 ((int32_t)16819)
#define FIX_2_562915447 ((int32_t)20995)
#define FIX_3_072711026 ((int32_t)25172)

/* One 8-point IDCT on four lanes: in[0..7] -> out[0..7], the sums before their final DESCALE. */
static inline void islow_1d(const v128_t in[8], v128_t out[8]) {
  v128_t z2 = in[2], z3 = in[6];
  v128_t z1 = mulc(wasm_i32x4_add(z2, z3), FIX_0_541196100);
  v128_t tmp2 = wasm_i32x4_add(z1, mulc(z3, -FIX_1_847759065));
  v128_t tmp3 = wasm_i32x4_add(z1, mulc(z2, FIX_0_765366865));
  v128_t tmp0 = wasm_i32x4_shl(wasm_i32x4_add(in[0], in[4]), CONST_BITS);
  v128_t tmp1 = wasm_i32x4_shl(wasm_i32x4_sub(in[0], in[4]), CONST_BITS);
  v128_t tmp10 = wasm_i32x4_add(tmp0, tmp3), tmp13 = wasm_i32x4_sub(tmp0, tmp3);
  v128_t tmp11 = wasm_i32x4_add(tmp1, tmp2), tmp12 = wasm_i32x4_sub(tmp1, tmp2);

  tmp0 = in[7];
  tmp1 = in[5];
  tmp2 = in[3];
  tmp3 = in[1];
  z1 = wasm_i32x4_add(tmp0, tmp3);
  z2 = wasm_i32x4_add(tmp1, tmp2);
  z3 = wasm_i32x4_add(tmp0, tmp2);
  v128_t z4 = wasm_i32x4_add(tmp1, tmp3);
  v128_t z5 = mulc(wasm_i32x4_add(z3, z4), FIX_1_175875602);
  tmp0 = mulc(tmp0, FIX_0_298631336);
  tmp1 = mulc(tmp1, FIX_2_053119869);
  tmp2 = mulc(tmp2, FIX_3_072711026);
  tmp3 = mulc(tmp3, FIX_1_501321110);
  z1 = mulc(z1, -FIX_0_899976223);
  z2 = mulc(z2, -FIX_2_562915447);
  z3 = wasm_i32x4_add(mulc(z3, -FIX_1_961570560), z5);
  z4 = wasm_i32x4_add(mulc(z4, -FIX_0_390180644), z5);
  tmp0 = wasm_i32x4_add(tmp0, wasm_i32x4_add(z1, z3));
  tmp1 = wasm_i32x4_add(tmp1, wasm_i32x4_add(z2, z4));
  tmp2 = wasm_i32x4_add(tmp2, wasm_i32x4_add(z2, z3));
  tmp3 = wasm_i32x4_add(tmp3, wasm_i32x4_add(z1, z4));

  out[0] = wasm_i32x4_add(tmp10, tmp3);
  out[7] = wasm_i32x4_sub(tmp10, tmp3);
  out[1] = wasm_i32x4_add(tmp11, tmp2);
  out[6] = wasm_i32x4_sub(tmp11, tmp2);
  out[2] = wasm_i32x4_add(tmp12, tmp1);
  out[5] = wasm_i32x4_sub(tmp12, tmp1);
  out[3] = wasm_i32x4_add(tmp13, tmp0);
  out[4] = wasm_i32x4_sub(tmp13, tmp0);
}

/* The i32 form, four lanes at a time. */
static __attribute__((noinline)) void islow_i32(const ISLOW_MULT_TYPE *quant, JCOEFPTR coef_block,
                                                JSAMPARRAY output_buf, JDIMENSION output_col) {
  v128_t q[8][2], zero[2];
  dequantize(coef_block, quant, q);
  zero_columns(coef_block, 0xfe, zero);

  /* Pass 1, columns (lanes = columns): ws[row][half] = DESCALE(sum, CONST_BITS - PASS1_BITS), or the DC
   * shortcut dequantized << PASS1_BITS for columns without AC terms. */
  v128_t ws[8][2];
  for (int h = 0; h < 2; h++) {
    v128_t in[8], out[8];
    for (int r = 0; r < 8; r++) in[r] = q[r][h];
    islow_1d(in, out);
    v128_t dc = wasm_i32x4_shl(q[0][h], PASS1_BITS);
    for (int r = 0; r < 8; r++)
      ws[r][h] = wasm_v128_bitselect(dc, descale(out[r], CONST_BITS - PASS1_BITS), zero[h]);
  }

  /* Pass 2, rows (lanes = rows): four rows at a time after a transpose. */
  for (int g = 0; g < 2; g++) {
    v128_t in[8], out[8];
    for (int h = 0; h < 2; h++) {
      in[4 * h + 0] = ws[4 * g + 0][h];
      in[4 * h + 1] = ws[4 * g + 1][h];
      in[4 * h + 2] = ws[4 * g + 2][h];
      in[4 * h + 3] = ws[4 * g + 3][h];
      transpose4(&in[4 * h + 0], &in[4 * h + 1], &in[4 * h + 2], &in[4 * h + 3]);
    }
    v128_t ac = in[1];
    for (int k = 2; k < 8; k++) ac = wasm_v128_or(ac, in[k]);
    v128_t flat = wasm_i32x4_eq(ac, wasm_i32x4_splat(0));
    v128_t dc = centred(descale(in[0], PASS1_BITS + 3));
    islow_1d(in, out);
    for (int k = 0; k < 8; k++)
      out[k] = wasm_v128_bitselect(dc, centred(descale(out[k], CONST_BITS + PASS1_BITS + 3)), flat);
    /* out[k] lane r = pixel k of row 4g + r. */
    v128_t a = pack_u8(out[0], out[1], out[2], out[3]); /* k-major: k0 r0..3, k1 r0..3, ... */
    v128_t b = pack_u8(out[4], out[5], out[6], out[7]);
    v128_t rows01 = wasm_i8x16_shuffle(a, b, 0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
    v128_t rows23 = wasm_i8x16_shuffle(a, b, 2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
    wasm_v128_store64_lane(output_buf[4 * g + 0] + output_col, rows01, 0);
    wasm_v128_store64_lane(output_buf[4 * g + 1] + output_col, rows01, 1);
    wasm_v128_store64_lane(output_buf[4 * g + 2] + output_col, rows23, 0);
    wasm_v128_store64_lane(output_buf[4 * g + 3] + output_col, rows23, 1);
  }
}

/* One 8-point IDCT on eight 16-bit lanes, the sums (+ bias) before their DESCALE shift: out[k][half], half 0 =
 * lanes 0-3. The odd part's z1..z5 are folded into one constant per input and output. */
static inline void islow_1d16(const v128_t in[8], v128_t bias, v128_t out[8][2]) {
  for (int h = 0; h < 2; h++) {
    v128_t p04 = zip(in[0], in[4], h), p26 = zip(in[2], in[6], h);
    v128_t p71 = zip(in[7], in[1], h), p35 = zip(in[3], in[5], h);
    v128_t tmp0 = wasm_i32x4_add(dot(p04, 1 << CONST_BITS, 1 << CONST_BITS), bias);
    v128_t tmp1 = wasm_i32x4_add(dot(p04, 1 << CONST_BITS, -(1 << CONST_BITS)), bias);
    v128_t tmp3 = dot(p26, FIX_0_541196100 + FIX_0_765366865, FIX_0_541196100);
    v128_t tmp2 = dot(p26, FIX_0_541196100, FIX_0_541196100 - FIX_1_847759065);
    v128_t tmp10 = wasm_i32x4_add(tmp0, tmp3), tmp13 = wasm_i32x4_sub(tmp0, tmp3);
    v128_t tmp11 = wasm_i32x4_add(tmp1, tmp2), tmp12 = wasm_i32x4_sub(tmp1, tmp2);

    /* in[7], in[1], in[3], in[5] are the C code's tmp0, tmp3, tmp2, tmp1. */
    tmp0 = wasm_i32x4_add(
        dot(p71, FIX_0_298631336 - FIX_0_899976223 + FIX_1_175875602 - FIX_1_961570560,
            FIX_1_175875602 - FIX_0_899976223),
        dot(p35, FIX_1_175875602 - FIX_1_961570560, FIX_1_175875602));
    tmp1 = wasm_i32x4_add(
        dot(p71, FIX_1_175875602, FIX_1_175875602 - FIX_0_390180644),
        dot(p35, FIX_1_175875602 - FIX_2_562915447,
            FIX_2_053119869 - FIX_2_562915447 - FIX_0_390180644 + FIX_1_175875602));
    tmp2 = wasm_i32x4_add(
        dot(p71, FIX_1_175875602 - FIX_1_961570560, FIX_1_175875602),
        dot(p35, FIX_3_072711026 - FIX_2_562915447 - FIX_1_961570560 + FIX_1_175875602,
            FIX_1_175875602 - FIX_2_562915447));
    tmp3 = wasm_i32x4_add(
        dot(p71, FIX_1_175875602 - FIX_0_899976223,
            FIX_1_501321110 - FIX_0_899976223 - FIX_0_390180644 + FIX_1_175875602),
        dot(p35, FIX_1_175875602, FIX_1_175875602 - FIX_0_390180644));

    out[0][h] = wasm_i32x4_add(tmp10, tmp3);
    out[7][h] = wasm_i32x4_sub(tmp10, tmp3);
    out[1][h] = wasm_i32x4_add(tmp11, tmp2);
    out[6][h] = wasm_i32x4_sub(tmp11, tmp2);
    out[2][h] = wasm_i32x4_add(tmp12, tmp1);
    out[5][h] = wasm_i32x4_sub(tmp12, tmp1);
    out[3][h] = wasm_i32x4_add(tmp13, tmp0);
    out[4][h] = wasm_i32x4_sub(tmp13, tmp0);
  }
}

/* m[r] lane c -> m[c] lane r, i16x8. */
static inline void transpose8(v128_t m[8]) {
  v128_t a[8], b[8];
  for (int i = 0; i < 4; i++) {
    a[2 * i] = zip_lo(m[2 * i], m[2 * i + 1]);
    a[2 * i + 1] = zip_hi(m[2 * i], m[2 * i + 1]);
  }
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++) {
      b[4 * i + 2 * j] = wasm_i32x4_shuffle(a[4 * i + j], a[4 * i + j + 2], 0, 4, 1, 5);
      b[4 * i + 2 * j + 1] = wasm_i32x4_shuffle(a[4 * i + j], a[4 * i + j + 2], 2, 6, 3, 7);
    }
  for (int i = 0; i < 4; i++) {
    m[2 * i] = wasm_i64x2_shuffle(b[i], b[i + 4], 0, 2);
    m[2 * i + 1] = wasm_i64x2_shuffle(b[i], b[i + 4], 1, 3);
  }
}

static inline v128_t unpack8_lo(v128_t a, v128_t b) {
  return wasm_i8x16_shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}
static inline v128_t unpack8_hi(v128_t a, v128_t b) {
  return wasm_i8x16_shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}

GLOBAL(void)
jsimd_idct_islow(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                 JSAMPARRAY output_buf, JDIMENSION output_col) {
  const ISLOW_MULT_TYPE *quant = (const ISLOW_MULT_TYPE *)compptr->dct_table;
  if (dc_only(coef_block)) {
    const JSAMPLE value = dc_value(coef_block, quant, PASS1_BITS);
    for (int r = 0; r < 8; r++) memset(output_buf[r] + output_col, value, 8);
    return;
  }
  v128_t m[8], sums[8][2];
  if (!dequantize16(coef_block, quant, 0xff, m)) {
    islow_i32(quant, coef_block, output_buf, output_col);
    return;
  }

  /* Pass 1 (lanes = columns), then the rows of the workspace become lanes. */
  islow_1d16(m, wasm_i32x4_splat(1 << (CONST_BITS - PASS1_BITS - 1)), sums);
  v128_t over = wasm_i16x8_splat(0);
  for (int r = 0; r < 8; r++) {
    m[r] = wasm_i16x8_narrow_i32x4(wasm_i32x4_shr(sums[r][0], CONST_BITS - PASS1_BITS),
                                   wasm_i32x4_shr(sums[r][1], CONST_BITS - PASS1_BITS));
    over = wasm_v128_or(over, outside16(m[r]));
  }
  if (!fits16(over)) {
    islow_i32(quant, coef_block, output_buf, output_col);
    return;
  }
  transpose8(m);

  /* Pass 2 (lanes = rows). DESCALE's rounding rides on the DC term: (x + 16) << CONST_BITS. Shifting left by 4,
   * then right by 22 is DESCALE by 18 and the sign extension of its low ten bits (RANGE_MASK) in one go. */
  m[0] = wasm_i16x8_add(m[0], wasm_i16x8_splat(1 << (PASS1_BITS + 2)));
  islow_1d16(m, wasm_i32x4_splat(0), sums);
  for (int k = 0; k < 8; k++)
    m[k] = wasm_i16x8_narrow_i32x4(wasm_i32x4_shr(wasm_i32x4_shl(sums[k][0], 4), 22),
                                   wasm_i32x4_shr(wasm_i32x4_shl(sums[k][1], 4), 22));
  /* Bytes of column pairs (k, k + 1), rows 0-7 each, to rows. */
  v128_t a = samples(m[0], m[1]), b = samples(m[2], m[3]), c = samples(m[4], m[5]), d = samples(m[6], m[7]);
  v128_t u0 = unpack8_lo(a, b), u1 = unpack8_hi(a, b), u2 = unpack8_lo(c, d), u3 = unpack8_hi(c, d);
  v128_t v0 = zip_lo(u0, u2), v1 = zip_hi(u0, u2), v2 = zip_lo(u1, u3), v3 = zip_hi(u1, u3);
  v128_t rows[4] = {unpack8_lo(v0, v2), unpack8_hi(v0, v2), unpack8_lo(v1, v3), unpack8_hi(v1, v3)};
  for (int r = 0; r < 4; r++) {
    wasm_v128_store64_lane(output_buf[2 * r] + output_col, rows[r], 0);
    wasm_v128_store64_lane(output_buf[2 * r + 1] + output_col, rows[r], 1);
  }
}

/* ------------------------------------------------------------------------------------------------------------
 * Reduced-size IDCTs (jidctred.c): 4x4 output for 1/2 scale, 2x2 for 1/4
 */

#undef PASS1_BITS
#define PASS1_BITS 2
#define FIX_0_211164243 ((int32_t)1730)
#define FIX_0_509795579 ((int32_t)4176)
#define FIX_0_601344887 ((int32_t)4926)
#define FIX_0_720959822 ((int32_t)5906)
#define FIX_0_850430095 ((int32_t)6967)
#define FIX_1_061594337 ((int32_t)8697)
#define FIX_1_272758580 ((int32_t)10426)
#define FIX_1_451774981 ((int32_t)11893)
#define FIX_2_172734803 ((int32_t)17799)
#define FIX_3_624509785 ((int32_t)29692)

/* 4-point reduced IDCT on four lanes from the 8 inputs (in[4] unused): sums before their DESCALE. */
static inline void red4_1d(const v128_t in[8], v128_t out[4]) {
  v128_t tmp0 = wasm_i32x4_shl(in[0], CONST_BITS + 1);
  v128_t tmp2 = wasm_i32x4_add(mulc(in[2], FIX_1_847759065), mulc(in[6], -FIX_0_765366865));
  v128_t tmp10 = wasm_i32x4_add(tmp0, tmp2), tmp12 = wasm_i32x4_sub(tmp0, tmp2);
  v128_t z1 = in[7], z2 = in[5], z3 = in[3], z4 = in[1];
  tmp0 = wasm_i32x4_add(wasm_i32x4_add(mulc(z1, -FIX_0_211164243), mulc(z2, FIX_1_451774981)),
                        wasm_i32x4_add(mulc(z3, -FIX_2_172734803), mulc(z4, FIX_1_061594337)));
  tmp2 = wasm_i32x4_add(wasm_i32x4_add(mulc(z1, -FIX_0_509795579), mulc(z2, -FIX_0_601344887)),
                        wasm_i32x4_add(mulc(z3, FIX_0_899976223), mulc(z4, FIX_2_562915447)));
  out[0] = wasm_i32x4_add(tmp10, tmp2);
  out[3] = wasm_i32x4_sub(tmp10, tmp2);
  out[1] = wasm_i32x4_add(tmp12, tmp0);
  out[2] = wasm_i32x4_sub(tmp12, tmp0);
}

static __attribute__((noinline)) void idct_4x4_i32(const ISLOW_MULT_TYPE *quant, JCOEFPTR coef_block,
                                                   JSAMPARRAY output_buf, JDIMENSION output_col) {
  v128_t q[8][2], zero[2];
  dequantize(coef_block, quant, q);
  /* The C code does not look at row 4 for 4x4 output. */
  zero_columns(coef_block, 0xee, zero);

  /* Pass 1: ws[row 0..3][half]; column 4 is computed too but never read (the C code skips it). */
  v128_t ws[4][2];
  for (int h = 0; h < 2; h++) {
    v128_t in[8], out[4];
    for (int r = 0; r < 8; r++) in[r] = q[r][h];
    red4_1d(in, out);
    v128_t dc = wasm_i32x4_shl(q[0][h], PASS1_BITS);
    for (int r = 0; r < 4; r++)
      ws[r][h] = wasm_v128_bitselect(dc, descale(out[r], CONST_BITS - PASS1_BITS + 1), zero[h]);
  }

  /* Pass 2: the four rows as lanes. */
  v128_t in[8], out[4];
  for (int h = 0; h < 2; h++) {
    in[4 * h + 0] = ws[0][h];
    in[4 * h + 1] = ws[1][h];
    in[4 * h + 2] = ws[2][h];
    in[4 * h + 3] = ws[3][h];
    transpose4(&in[4 * h + 0], &in[4 * h + 1], &in[4 * h + 2], &in[4 * h + 3]);
  }
  v128_t ac = wasm_v128_or(wasm_v128_or(in[1], in[2]), wasm_v128_or(in[3], in[5]));
  ac = wasm_v128_or(ac, wasm_v128_or(in[6], in[7]));
  v128_t flat = wasm_i32x4_eq(ac, wasm_i32x4_splat(0));
  v128_t dc = centred(descale(in[0], PASS1_BITS + 3));
  red4_1d(in, out);
  for (int k = 0; k < 4; k++)
    out[k] = wasm_v128_bitselect(dc, centred(descale(out[k], CONST_BITS + PASS1_BITS + 3 + 1)), flat);
  v128_t px = pack_u8(out[0], out[1], out[2], out[3]); /* k-major */
  px = wasm_i8x16_shuffle(px, px, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  wasm_v128_store32_lane(output_buf[0] + output_col, px, 0);
  wasm_v128_store32_lane(output_buf[1] + output_col, px, 1);
  wasm_v128_store32_lane(output_buf[2] + output_col, px, 2);
  wasm_v128_store32_lane(output_buf[3] + output_col, px, 3);
}

static __attribute__((noinline)) void idct_2x2_i32(const ISLOW_MULT_TYPE *quant, JCOEFPTR coef_block,
                                                   JSAMPARRAY output_buf, JDIMENSION output_col) {
  v128_t q[8][2], zero[2];
  dequantize(coef_block, quant, q);
  /* The C code looks at rows 1, 3, 5 and 7 only. */
  zero_columns(coef_block, 0xaa, zero);

  /* Pass 1 (lanes = columns; only columns 0, 1, 3, 5, 7 are used by pass 2). */
  v128_t ws0[2], ws1[2];
  for (int h = 0; h < 2; h++) {
    v128_t tmp10 = wasm_i32x4_shl(q[0][h], CONST_BITS + 2);
    v128_t tmp0 = wasm_i32x4_add(wasm_i32x4_add(mulc(q[7][h], -FIX_0_720959822), mulc(q[5][h], FIX_0_850430095)),
                                 wasm_i32x4_add(mulc(q[3][h], -FIX_1_272758580), mulc(q[1][h], FIX_3_624509785)));
    v128_t dc = wasm_i32x4_shl(q[0][h], PASS1_BITS);
    ws0[h] = wasm_v128_bitselect(dc, descale(wasm_i32x4_add(tmp10, tmp0), CONST_BITS - PASS1_BITS + 2), zero[h]);
    ws1[h] = wasm_v128_bitselect(dc, descale(wasm_i32x4_sub(tmp10, tmp0), CONST_BITS - PASS1_BITS + 2), zero[h]);
  }

  /* Pass 2: rows 0 and 1 in lanes 0 and 1 (lanes 2 and 3 repeat them). Row r: ws_r columns 0,1,3,5,7. */
  v128_t c0 = wasm_i32x4_shuffle(ws0[0], ws1[0], 0, 4, 0, 4);  /* column 0 of rows 0, 1 */
  v128_t c1 = wasm_i32x4_shuffle(ws0[0], ws1[0], 1, 5, 1, 5);
  v128_t c3 = wasm_i32x4_shuffle(ws0[0], ws1[0], 3, 7, 3, 7);
  v128_t c5 = wasm_i32x4_shuffle(ws0[1], ws1[1], 1, 5, 1, 5);
  v128_t c7 = wasm_i32x4_shuffle(ws0[1], ws1[1], 3, 7, 3, 7);
  v128_t flat = wasm_i32x4_eq(wasm_v128_or(wasm_v128_or(c1, c3), wasm_v128_or(c5, c7)), wasm_i32x4_splat(0));
  v128_t dc = centred(descale(c0, PASS1_BITS + 3));
  v128_t tmp10 = wasm_i32x4_shl(c0, CONST_BITS + 2);
  v128_t tmp0 = wasm_i32x4_add(wasm_i32x4_add(mulc(c7, -FIX_0_720959822), mulc(c5, FIX_0_850430095)),
                               wasm_i32x4_add(mulc(c3, -FIX_1_272758580), mulc(c1, FIX_3_624509785)));
  const int shift = CONST_BITS + PASS1_BITS + 3 + 2;
  v128_t o0 = wasm_v128_bitselect(dc, centred(descale(wasm_i32x4_add(tmp10, tmp0), shift)), flat);
  v128_t o1 = wasm_v128_bitselect(dc, centred(descale(wasm_i32x4_sub(tmp10, tmp0), shift)), flat);
  v128_t px = pack_u8(o0, o1, o0, o1); /* bytes: o0 r0 r1 r0 r1, o1 r0 r1 r0 r1, ... */
  px = wasm_i8x16_shuffle(px, px, 0, 4, 1, 5, 0, 4, 1, 5, 0, 4, 1, 5, 0, 4, 1, 5);
  wasm_v128_store16_lane(output_buf[0] + output_col, px, 0);
  wasm_v128_store16_lane(output_buf[1] + output_col, px, 1);
}

GLOBAL(void)
jsimd_idct_4x4(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
               JSAMPARRAY output_buf, JDIMENSION output_col) {
  const ISLOW_MULT_TYPE *quant = (const ISLOW_MULT_TYPE *)compptr->dct_table;
  if (dc_only(coef_block)) {
    const JSAMPLE value = dc_value(coef_block, quant, PASS1_BITS);
    for (int r = 0; r < 4; r++) memset(output_buf[r] + output_col, value, 4);
    return;
  }
  /* Row 4 is never read. */
  v128_t dq[8];
  if (!dequantize16(coef_block, quant, 0xef, dq)) {
    idct_4x4_i32(quant, coef_block, output_buf, output_col);
    return;
  }

  /* Pass 1 (lanes = columns; column 4 is computed and ignored): ws[0..3]. The DC term and DESCALE's rounding
   * come from one product pair, (dq0, 1) . (2^14, 2^11). */
  const v128_t one = wasm_i16x8_splat(1);
  v128_t sums[4][2];
  for (int h = 0; h < 2; h++) {
    v128_t tmp0 = dot(zip(dq[0], one, h), 1 << (CONST_BITS + 1), 1 << (CONST_BITS - PASS1_BITS));
    v128_t tmp2 = dot(zip(dq[2], dq[6], h), FIX_1_847759065, -FIX_0_765366865);
    v128_t tmp10 = wasm_i32x4_add(tmp0, tmp2), tmp12 = wasm_i32x4_sub(tmp0, tmp2);
    v128_t p75 = zip(dq[7], dq[5], h), p31 = zip(dq[3], dq[1], h);
    tmp0 = wasm_i32x4_add(dot(p75, -FIX_0_211164243, FIX_1_451774981), dot(p31, -FIX_2_172734803, FIX_1_061594337));
    tmp2 = wasm_i32x4_add(dot(p75, -FIX_0_509795579, -FIX_0_601344887), dot(p31, FIX_0_899976223, FIX_2_562915447));
    sums[0][h] = wasm_i32x4_add(tmp10, tmp2);
    sums[3][h] = wasm_i32x4_sub(tmp10, tmp2);
    sums[1][h] = wasm_i32x4_add(tmp12, tmp0);
    sums[2][h] = wasm_i32x4_sub(tmp12, tmp0);
  }
  v128_t ws[4], over = wasm_i16x8_splat(0);
  for (int r = 0; r < 4; r++) {
    ws[r] = wasm_i16x8_narrow_i32x4(wasm_i32x4_shr(sums[r][0], CONST_BITS - PASS1_BITS + 1),
                                    wasm_i32x4_shr(sums[r][1], CONST_BITS - PASS1_BITS + 1));
    over = wasm_v128_or(over, outside16(ws[r]));
  }
  if (!fits16(over)) {
    idct_4x4_i32(quant, coef_block, output_buf, output_col);
    return;
  }

  /* Pass 2 (lanes = rows): each i32 lane of ws[r] is a pair of columns, so a 4x4 transpose gives p[j] = columns
   * 2j, 2j + 1 of rows 0-3. DESCALE's rounding rides on column 0: (x + 16) << 14. */
  transpose4(&ws[0], &ws[1], &ws[2], &ws[3]);
  v128_t p01 = wasm_i16x8_add(ws[0], wasm_i16x8_make(1 << (PASS1_BITS + 2), 0, 1 << (PASS1_BITS + 2), 0,
                                                      1 << (PASS1_BITS + 2), 0, 1 << (PASS1_BITS + 2), 0));
  v128_t p23 = ws[1], p45 = ws[2], p67 = ws[3];
  v128_t tmp0 = dot(p01, 1 << (CONST_BITS + 1), 0);
  v128_t tmp2 = wasm_i32x4_add(dot(p23, FIX_1_847759065, 0), dot(p67, -FIX_0_765366865, 0));
  v128_t tmp10 = wasm_i32x4_add(tmp0, tmp2), tmp12 = wasm_i32x4_sub(tmp0, tmp2);
  tmp0 = wasm_i32x4_add(wasm_i32x4_add(dot(p01, 0, FIX_1_061594337), dot(p23, 0, -FIX_2_172734803)),
                        wasm_i32x4_add(dot(p45, 0, FIX_1_451774981), dot(p67, 0, -FIX_0_211164243)));
  tmp2 = wasm_i32x4_add(wasm_i32x4_add(dot(p01, 0, FIX_2_562915447), dot(p23, 0, FIX_0_899976223)),
                        wasm_i32x4_add(dot(p45, 0, -FIX_0_601344887), dot(p67, 0, -FIX_0_509795579)));
  /* << 3 then >> 22: DESCALE by 19 and RANGE_MASK's ten bits, sign-extended. */
#define OUT4(x) wasm_i32x4_shr(wasm_i32x4_shl(x, 3), 22)
  v128_t px = samples(wasm_i16x8_narrow_i32x4(OUT4(wasm_i32x4_add(tmp10, tmp2)), OUT4(wasm_i32x4_add(tmp12, tmp0))),
                      wasm_i16x8_narrow_i32x4(OUT4(wasm_i32x4_sub(tmp12, tmp0)), OUT4(wasm_i32x4_sub(tmp10, tmp2))));
#undef OUT4
  px = wasm_i8x16_shuffle(px, px, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  wasm_v128_store32_lane(output_buf[0] + output_col, px, 0);
  wasm_v128_store32_lane(output_buf[1] + output_col, px, 1);
  wasm_v128_store32_lane(output_buf[2] + output_col, px, 2);
  wasm_v128_store32_lane(output_buf[3] + output_col, px, 3);
}

GLOBAL(void)
jsimd_idct_2x2(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
               JSAMPARRAY output_buf, JDIMENSION output_col) {
  const ISLOW_MULT_TYPE *quant = (const ISLOW_MULT_TYPE *)compptr->dct_table;
  if (dc_only(coef_block)) {
    const JSAMPLE value = dc_value(coef_block, quant, PASS1_BITS);
    output_buf[0][output_col] = output_buf[0][output_col + 1] = value;
    output_buf[1][output_col] = output_buf[1][output_col + 1] = value;
    return;
  }
  /* Rows 0, 1, 3, 5 and 7 are the only ones read. */
  v128_t dq[8];
  if (!dequantize16(coef_block, quant, 0xab, dq)) {
    idct_2x2_i32(quant, coef_block, output_buf, output_col);
    return;
  }

  /* Pass 1 (lanes = columns; 2, 4 and 6 are computed and ignored), in i32: ws0, ws1 = workspace rows 0 and 1.
   * (dq0, 1) . (2^14, 2^11), doubled, is dq0 << 15 plus DESCALE's rounding. */
  const v128_t one = wasm_i16x8_splat(1);
  v128_t ws0[2], ws1[2];
  for (int h = 0; h < 2; h++) {
    v128_t tmp10 = wasm_i32x4_shl(dot(zip(dq[0], one, h), 1 << (CONST_BITS + 1), 1 << (CONST_BITS - PASS1_BITS)), 1);
    v128_t tmp0 = wasm_i32x4_add(dot(zip(dq[7], dq[5], h), -FIX_0_720959822, FIX_0_850430095),
                                 dot(zip(dq[3], dq[1], h), -FIX_1_272758580, FIX_3_624509785));
    ws0[h] = wasm_i32x4_shr(wasm_i32x4_add(tmp10, tmp0), CONST_BITS - PASS1_BITS + 2);
    ws1[h] = wasm_i32x4_shr(wasm_i32x4_sub(tmp10, tmp0), CONST_BITS - PASS1_BITS + 2);
  }

  /* Pass 2 in i32, lanes (row 0 out 0, row 0 out 1, row 1 out 0, row 1 out 1). Computed in full, it also gives
   * the C code's zero-row shortcut, DESCALE(c0, 5): only bits 20-29 of the sum reach the output, and those of
   * (c0 + 16) << 15 are the same with or without 32-bit wraparound. */
  const v128_t k = wasm_i32x4_make(FIX_3_624509785, -FIX_1_272758580, FIX_0_850430095, -FIX_0_720959822);
  v128_t odd0 = wasm_i32x4_mul(wasm_i32x4_shuffle(ws0[0], ws0[1], 1, 3, 5, 7), k); /* columns 1, 3, 5, 7 */
  v128_t odd1 = wasm_i32x4_mul(wasm_i32x4_shuffle(ws1[0], ws1[1], 1, 3, 5, 7), k);
  v128_t s = wasm_i32x4_add(wasm_i32x4_shuffle(odd0, odd1, 0, 2, 4, 6), wasm_i32x4_shuffle(odd0, odd1, 1, 3, 5, 7));
  v128_t tmp0 = wasm_i32x4_add(s, wasm_i32x4_shuffle(s, s, 1, 0, 3, 2));
  v128_t c0 = wasm_i32x4_shuffle(ws0[0], ws1[0], 0, 0, 4, 4);
  v128_t tmp10 = wasm_i32x4_add(wasm_i32x4_shl(c0, CONST_BITS + 2), wasm_i32x4_splat(1 << (CONST_BITS + PASS1_BITS + 4)));
  v128_t sum = wasm_i32x4_shuffle(wasm_i32x4_add(tmp10, tmp0), wasm_i32x4_sub(tmp10, tmp0), 0, 5, 2, 7);
  /* << 2 then >> 22: DESCALE by 20 and RANGE_MASK's ten bits, sign-extended. */
  sum = wasm_i32x4_shr(wasm_i32x4_shl(sum, 2), 22);
  v128_t n = wasm_i16x8_narrow_i32x4(sum, sum);
  v128_t px = samples(n, n);
  wasm_v128_store16_lane(output_buf[0] + output_col, px, 0);
  wasm_v128_store16_lane(output_buf[1] + output_col, px, 1);
}

/* ------------------------------------------------------------------------------------------------------------
 * YCbCr -> RGB(A/X) (jdcolor.c, jdcolext.c). The C code's tables, as arithmetic:
 *   R = y + ((91881 * cr' + 32768) >> 16), B = y + ((116130 * cb' + 32768) >> 16),
 *   G = y + ((-22554 * cb' - 46802 * cr' + 32768) >> 16),     cb' = cb - 128, cr' = cr - 128,
 * each clamped to 0..255 (range_limit).
 */

static inline v128_t ycc_term(v128_t x, int32_t k) { /* (k * x + 32768) >> 16 for one i32x4 */
  return wasm_i32x4_shr(wasm_i32x4_add(wasm_i32x4_mul(x, wasm_i32x4_splat(k)), wasm_i32x4_splat(32768)), 16);
}

static inline v128_t ycc_g(v128_t cb, v128_t cr) {
  v128_t s = wasm_i32x4_add(wasm_i32x4_mul(cb, wasm_i32x4_splat(-22554)),
                            wasm_i32x4_mul(cr, wasm_i32x4_splat(-46802)));
  return wasm_i32x4_shr(wasm_i32x4_add(s, wasm_i32x4_splat(32768)), 16);
}

/* Eight pixels: y (u16 lanes), cb', cr' (i16 lanes) -> r, g, b as i16 lanes, unclamped. */
static inline void ycc8(v128_t y, v128_t cb, v128_t cr, v128_t *r, v128_t *g, v128_t *b) {
  v128_t cb0 = wasm_i32x4_extend_low_i16x8(cb), cb1 = wasm_i32x4_extend_high_i16x8(cb);
  v128_t cr0 = wasm_i32x4_extend_low_i16x8(cr), cr1 = wasm_i32x4_extend_high_i16x8(cr);
  *r = wasm_i16x8_add(y, wasm_i16x8_narrow_i32x4(ycc_term(cr0, 91881), ycc_term(cr1, 91881)));
  *b = wasm_i16x8_add(y, wasm_i16x8_narrow_i32x4(ycc_term(cb0, 116130), ycc_term(cb1, 116130)));
  *g = wasm_i16x8_add(y, wasm_i16x8_narrow_i32x4(ycc_g(cb0, cr0), ycc_g(cb1, cr1)));
}

GLOBAL(void)
jsimd_ycc_rgb_convert(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION input_row, JSAMPARRAY output_buf,
                      int num_rows) {
  int r_off, g_off, b_off, a_off = -1, size;
  switch (cinfo->out_color_space) {
    case JCS_EXT_RGBX: case JCS_EXT_RGBA: r_off = 0; g_off = 1; b_off = 2; a_off = 3; size = 4; break;
    case JCS_EXT_BGRX: case JCS_EXT_BGRA: r_off = 2; g_off = 1; b_off = 0; a_off = 3; size = 4; break;
    case JCS_EXT_XRGB: case JCS_EXT_ARGB: r_off = 1; g_off = 2; b_off = 3; a_off = 0; size = 4; break;
    case JCS_EXT_XBGR: case JCS_EXT_ABGR: r_off = 3; g_off = 2; b_off = 1; a_off = 0; size = 4; break;
    case JCS_EXT_BGR: r_off = 2; g_off = 1; b_off = 0; size = 3; break;
    default: r_off = 0; g_off = 1; b_off = 2; size = 3; break; /* JCS_RGB, JCS_EXT_RGB */
  }
  const JDIMENSION width = cinfo->output_width;
  const v128_t bias = wasm_i16x8_splat(128);
  while (--num_rows >= 0) {
    JSAMPROW y = input_buf[0][input_row], cb = input_buf[1][input_row], cr = input_buf[2][input_row];
    JSAMPROW out = *output_buf++;
    input_row++;
    JDIMENSION x = 0;
    if (size == 4 && r_off == 0) {
      /* RGBA/RGBX, what edgepix asks for: sixteen pixels per step. */
      const v128_t alpha = wasm_i8x16_splat((char)0xff);
      for (; x + 16 <= width; x += 16) {
        v128_t yv = LOAD(y + x), cbv = LOAD(cb + x), crv = LOAD(cr + x);
        v128_t r0, g0, b0, r1, g1, b1;
        ycc8(wasm_u16x8_extend_low_u8x16(yv), wasm_i16x8_sub(wasm_u16x8_extend_low_u8x16(cbv), bias),
             wasm_i16x8_sub(wasm_u16x8_extend_low_u8x16(crv), bias), &r0, &g0, &b0);
        ycc8(wasm_u16x8_extend_high_u8x16(yv), wasm_i16x8_sub(wasm_u16x8_extend_high_u8x16(cbv), bias),
             wasm_i16x8_sub(wasm_u16x8_extend_high_u8x16(crv), bias), &r1, &g1, &b1);
        v128_t rv = wasm_u8x16_narrow_i16x8(r0, r1), gv = wasm_u8x16_narrow_i16x8(g0, g1);
        v128_t bv = wasm_u8x16_narrow_i16x8(b0, b1);
        v128_t rg_lo = wasm_i8x16_shuffle(rv, gv, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        v128_t rg_hi = wasm_i8x16_shuffle(rv, gv, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        v128_t ba_lo = wasm_i8x16_shuffle(bv, alpha, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        v128_t ba_hi = wasm_i8x16_shuffle(bv, alpha, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        STORE(out + 4 * x, wasm_i16x8_shuffle(rg_lo, ba_lo, 0, 8, 1, 9, 2, 10, 3, 11));
        STORE(out + 4 * x + 16, wasm_i16x8_shuffle(rg_lo, ba_lo, 4, 12, 5, 13, 6, 14, 7, 15));
        STORE(out + 4 * x + 32, wasm_i16x8_shuffle(rg_hi, ba_hi, 0, 8, 1, 9, 2, 10, 3, 11));
        STORE(out + 4 * x + 48, wasm_i16x8_shuffle(rg_hi, ba_hi, 4, 12, 5, 13, 6, 14, 7, 15));
      }
    }
    /* The rest (and the other layouts): the C code's arithmetic, one pixel at a time. */
    for (; x < width; x++) {
      int yy = y[x], u = cb[x] - 128, v = cr[x] - 128;
      int rr = yy + ((91881 * v + 32768) >> 16);
      int gg = yy + ((-22554 * u - 46802 * v + 32768) >> 16);
      int bb = yy + ((116130 * u + 32768) >> 16);
      JSAMPROW px = out + size * x;
      px[r_off] = (JSAMPLE)(rr < 0 ? 0 : rr > 255 ? 255 : rr);
      px[g_off] = (JSAMPLE)(gg < 0 ? 0 : gg > 255 ? 255 : gg);
      px[b_off] = (JSAMPLE)(bb < 0 ? 0 : bb > 255 ? 255 : bb);
      if (a_off >= 0) px[a_off] = 0xff;
    }
  }
}

/* ------------------------------------------------------------------------------------------------------------
 * h2v2 "fancy" (triangle) upsampling (jdsample.c, h2v2_fancy_upsample): with colsum[i] = 3 * near[i] + far[i],
 *   out[2i] = (3 * colsum[i] + colsum[i - 1] + 8) >> 4,  out[2i + 1] = (3 * colsum[i] + colsum[i + 1] + 7) >> 4,
 * where colsum[-1] = colsum[0] and colsum[w] = colsum[w - 1].
 */

GLOBAL(void)
jsimd_h2v2_fancy_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                          JSAMPARRAY *output_data_ptr) {
  JSAMPARRAY output_data = *output_data_ptr;
  const JDIMENSION w = compptr->downsampled_width; /* > 2, or libjpeg would not have chosen this method */
  const v128_t three = wasm_i16x8_splat(3);
  int inrow = 0, outrow = 0;
  while (outrow < cinfo->max_v_samp_factor) {
    for (int v = 0; v < 2; v++) {
      JSAMPROW near = input_data[inrow], far = input_data[v == 0 ? inrow - 1 : inrow + 1];
      JSAMPROW out = output_data[outrow++];
#define COLSUM(i) (near[i] * 3 + far[i])
      /* Column 0. */
      int this = COLSUM(0), next = COLSUM(1);
      out[0] = (JSAMPLE)((this * 4 + 8) >> 4);
      out[1] = (JSAMPLE)((this * 3 + next + 7) >> 4);
      JDIMENSION i = 1;
      /* Columns i..i+7 need colsum[i-1..i+8]: eight at a time while i + 9 <= w. */
      for (; i + 9 <= w; i += 8) {
        v128_t n = wasm_u16x8_extend_low_u8x16(wasm_v128_load64_zero(near + i - 1));
        v128_t f = wasm_u16x8_extend_low_u8x16(wasm_v128_load64_zero(far + i - 1));
        v128_t prev = wasm_i16x8_add(wasm_i16x8_mul(n, three), f);                       /* colsum[i-1 .. i+6] */
        n = wasm_u16x8_extend_low_u8x16(wasm_v128_load64_zero(near + i));
        f = wasm_u16x8_extend_low_u8x16(wasm_v128_load64_zero(far + i));
        v128_t cur = wasm_i16x8_add(wasm_i16x8_mul(n, three), f);                        /* colsum[i .. i+7] */
        n = wasm_u16x8_extend_low_u8x16(wasm_v128_load64_zero(near + i + 1));
        f = wasm_u16x8_extend_low_u8x16(wasm_v128_load64_zero(far + i + 1));
        v128_t nxt = wasm_i16x8_add(wasm_i16x8_mul(n, three), f);                        /* colsum[i+1 .. i+8] */
        v128_t c3 = wasm_i16x8_mul(cur, three);
        v128_t even = wasm_u16x8_shr(wasm_i16x8_add(wasm_i16x8_add(c3, prev), wasm_i16x8_splat(8)), 4);
        v128_t odd = wasm_u16x8_shr(wasm_i16x8_add(wasm_i16x8_add(c3, nxt), wasm_i16x8_splat(7)), 4);
        v128_t bytes = wasm_u8x16_narrow_i16x8(even, odd);
        STORE(out + 2 * i, wasm_i8x16_shuffle(bytes, bytes, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15));
      }
      for (; i + 1 < w; i++) {
        int last = COLSUM(i - 1);
        this = COLSUM(i);
        next = COLSUM(i + 1);
        out[2 * i] = (JSAMPLE)((this * 3 + last + 8) >> 4);
        out[2 * i + 1] = (JSAMPLE)((this * 3 + next + 7) >> 4);
      }
      /* Column w - 1. */
      this = COLSUM(w - 1);
      int last = COLSUM(w - 2);
      out[2 * (w - 1)] = (JSAMPLE)((this * 3 + last + 8) >> 4);
      out[2 * (w - 1) + 1] = (JSAMPLE)((this * 4 + 7) >> 4);
#undef COLSUM
    }
    inrow++;
  }
}

/* ------------------------------------------------------------------------------------------------------------
 * What is available
 */

GLOBAL(int) jsimd_can_ycc_rgb(void) { return AVAILABLE; }
GLOBAL(int) jsimd_can_h2v2_fancy_upsample(void) { return AVAILABLE; }
GLOBAL(int) jsimd_can_idct_islow(void) { return AVAILABLE; }
GLOBAL(int) jsimd_can_idct_4x4(void) { return AVAILABLE; }
GLOBAL(int) jsimd_can_idct_2x2(void) { return AVAILABLE; }

/* Not provided: libjpeg's C code runs. (None of these is ever called, since their jsimd_can_* say no.) */
GLOBAL(int) jsimd_can_ycc_rgb565(void) { return 0; }
GLOBAL(void) jsimd_ycc_rgb565_convert(j_decompress_ptr cinfo, JSAMPIMAGE input_buf, JDIMENSION input_row,
                                      JSAMPARRAY output_buf, int num_rows) {}
GLOBAL(int) jsimd_can_h2v2_upsample(void) { return 0; }
GLOBAL(int) jsimd_can_h2v1_upsample(void) { return 0; }
GLOBAL(int) jsimd_can_int_upsample(void) { return 0; }
GLOBAL(void) jsimd_h2v2_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                                 JSAMPARRAY *output_data_ptr) {}
GLOBAL(void) jsimd_h2v1_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                                 JSAMPARRAY *output_data_ptr) {}
GLOBAL(void) jsimd_int_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                                JSAMPARRAY *output_data_ptr) {}
GLOBAL(int) jsimd_can_h2v1_fancy_upsample(void) { return 0; }
GLOBAL(int) jsimd_can_h1v2_fancy_upsample(void) { return 0; }
GLOBAL(void) jsimd_h2v1_fancy_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr,
                                       JSAMPARRAY input_data, JSAMPARRAY *output_data_ptr) {}
GLOBAL(void) jsimd_h1v2_fancy_upsample(j_decompress_ptr cinfo, jpeg_component_info *compptr,
                                       JSAMPARRAY input_data, JSAMPARRAY *output_data_ptr) {}
GLOBAL(int) jsimd_can_h2v2_merged_upsample(void) { return 0; }
GLOBAL(int) jsimd_can_h2v1_merged_upsample(void) { return 0; }
GLOBAL(void) jsimd_h2v2_merged_upsample(j_decompress_ptr cinfo, JSAMPIMAGE input_buf,
                                        JDIMENSION in_row_group_ctr, JSAMPARRAY output_buf) {}
GLOBAL(void) jsimd_h2v1_merged_upsample(j_decompress_ptr cinfo, JSAMPIMAGE input_buf,
                                        JDIMENSION in_row_group_ctr, JSAMPARRAY output_buf) {}
GLOBAL(int) jsimd_can_idct_6x6(void) { return 0; }
GLOBAL(int) jsimd_can_idct_12x12(void) { return 0; }
GLOBAL(void) jsimd_idct_6x6(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                            JSAMPARRAY output_buf, JDIMENSION output_col) {}
GLOBAL(void) jsimd_idct_12x12(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                              JSAMPARRAY output_buf, JDIMENSION output_col) {}
GLOBAL(int) jsimd_can_idct_ifast(void) { return 0; }
GLOBAL(int) jsimd_can_idct_float(void) { return 0; }
GLOBAL(void) jsimd_idct_ifast(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                              JSAMPARRAY output_buf, JDIMENSION output_col) {}
GLOBAL(void) jsimd_idct_float(j_decompress_ptr cinfo, jpeg_component_info *compptr, JCOEFPTR coef_block,
                              JSAMPARRAY output_buf, JDIMENSION output_col) {}

/* Compression (not part of this module). */
GLOBAL(int) jsimd_can_rgb_ycc(void) { return 0; }
GLOBAL(int) jsimd_can_rgb_gray(void) { return 0; }
GLOBAL(int) jsimd_c_can_null_convert(void) { return 0; }
GLOBAL(void) jsimd_rgb_ycc_convert(j_compress_ptr cinfo, JSAMPARRAY input_buf, JSAMPIMAGE output_buf,
                                   JDIMENSION output_row, int num_rows) {}
GLOBAL(void) jsimd_rgb_gray_convert(j_compress_ptr cinfo, JSAMPARRAY input_buf, JSAMPIMAGE output_buf,
                                    JDIMENSION output_row, int num_rows) {}
GLOBAL(void) jsimd_c_null_convert(j_compress_ptr cinfo, JSAMPARRAY input_buf, JSAMPIMAGE output_buf,
                                  JDIMENSION output_row, int num_rows) {}
GLOBAL(int) jsimd_can_h2v2_downsample(void) { return 0; }
GLOBAL(int) jsimd_can_h2v1_downsample(void) { return 0; }
GLOBAL(int) jsimd_can_h2v2_smooth_downsample(void) { return 0; }
GLOBAL(void) jsimd_h2v2_downsample(j_compress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                                   JSAMPARRAY output_data) {}
GLOBAL(void) jsimd_h2v2_smooth_downsample(j_compress_ptr cinfo, jpeg_component_info *compptr,
                                          JSAMPARRAY input_data, JSAMPARRAY output_data) {}
GLOBAL(void) jsimd_h2v1_downsample(j_compress_ptr cinfo, jpeg_component_info *compptr, JSAMPARRAY input_data,
                                   JSAMPARRAY output_data) {}
GLOBAL(int) jsimd_can_convsamp(void) { return 0; }
GLOBAL(int) jsimd_can_convsamp_float(void) { return 0; }
GLOBAL(void) jsimd_convsamp(JSAMPARRAY sample_data, JDIMENSION start_col, DCTELEM *workspace) {}
GLOBAL(void) jsimd_convsamp_float(JSAMPARRAY sample_data, JDIMENSION start_col, FAST_FLOAT *workspace) {}
GLOBAL(int) jsimd_can_fdct_islow(void) { return 0; }
GLOBAL(int) jsimd_can_fdct_ifast(void) { return 0; }
GLOBAL(int) jsimd_can_fdct_float(void) { return 0; }
GLOBAL(void) jsimd_fdct_islow(DCTELEM *data) {}
GLOBAL(void) jsimd_fdct_ifast(DCTELEM *data) {}
GLOBAL(void) jsimd_fdct_float(FAST_FLOAT *data) {}
GLOBAL(int) jsimd_can_quantize(void) { return 0; }
GLOBAL(int) jsimd_can_quantize_float(void) { return 0; }
GLOBAL(void) jsimd_quantize(JCOEFPTR coef_block, DCTELEM *divisors, DCTELEM *workspace) {}
GLOBAL(void) jsimd_quantize_float(JCOEFPTR coef_block, FAST_FLOAT *divisors, FAST_FLOAT *workspace) {}
GLOBAL(int) jsimd_can_huff_encode_one_block(void) { return 0; }
GLOBAL(JOCTET *) jsimd_huff_encode_one_block(void *state, JOCTET *buffer, JCOEFPTR block, int last_dc_val,
                                            c_derived_tbl *dctbl, c_derived_tbl *actbl) { return buffer; }
GLOBAL(int) jsimd_can_encode_mcu_AC_first_prepare(void) { return 0; }
GLOBAL(void) jsimd_encode_mcu_AC_first_prepare(const JCOEF *block, const int *jpeg_natural_order_start, int Sl,
                                               int Al, UJCOEF *values, size_t *zerobits) {}
GLOBAL(int) jsimd_can_encode_mcu_AC_refine_prepare(void) { return 0; }
GLOBAL(int) jsimd_encode_mcu_AC_refine_prepare(const JCOEF *block, const int *jpeg_natural_order_start, int Sl,
                                              int Al, UJCOEF *absvalues, size_t *bits) { return 0; }
