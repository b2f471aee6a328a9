/*
 * edgepix resize: a streaming, separable resampler for 8-bit RGBA, built with -msimd128.
 *
 * The host streams source rows in and pulls output rows out; the module never holds a whole image:
 *
 *   source rows ──► [box shrink fx×fy] ──► horizontal filter ──► ring of filtered rows ──► vertical filter ──► output rows
 *
 * - Box shrink (optional, integer factors chosen by the host): each run of fy source rows is summed into one
 *   accumulator row, then fx neighbours are averaged into one pixel. Edge blocks average what they have. This is
 *   libvips' "shrink" before "reduce": a big reduction drops to within ~2-3x of the target for a few adds per
 *   source pixel, and the filter then reads a fraction of the pixels.
 * - The filter (Lanczos3 or triangle) is applied to the shrunk rows. Output pixel x maps to source position
 *   (x + 0.5) * in/out - 0.5 (pixel centres aligned, measured in the original image, so the shrink does not
 *   shift the picture); when reducing, the kernel is stretched by the remaining scale. Taps outside the image
 *   are clamped to the edge pixel (the edge is extended, like libvips' reduce), so weights always sum to 1.
 * - RESIZE_BOX_SOURCE: the source pixels are block means of a bigger original (a JPEG decoded at 1/2, 1/4 or 1/8:
 *   libjpeg's reduced IDCTs are box filters). A box one sample wide passes frequency f (cycles per sample) as
 *   sinc(f) = 1 - (pi f)^2 / 6 + ..., which softens what the filter keeps; the kernel is then convolved with
 *   [-1/24, 13/12, -1/24], whose response 1 + (1 - cos 2 pi f) / 12 = 1 + (pi f)^2 / 6 - ... cancels that to
 *   second order (one more tap each side). What the box aliased cannot be undone.
 * - The ring holds the filtered rows the next output rows still need (the tallest vertical window plus a few
 *   rows of slack), each out_w wide: the intermediate image is never materialised. With ~256 KB of input rows
 *   and ~128 KB of output rows per call, 6000x4000 -> 800x533 runs inside the module's initial 1 MB.
 *
 * Precision: fixed point. Samples are int16 in 1/64 units (a u8 value v is v*64, so filtered rows keep 6
 * fractional bits); weights are int16 summing to exactly 2^14; sums are int32 (i32x4.dot_i16x8_s takes two
 * taps per instruction). A flat colour therefore stays exactly flat and opaque alpha stays exactly 255.
 * Colour is resampled in sRGB (no linear light), like sharp by default.
 *
 * Alpha: with RESIZE_ALPHA the colour channels are premultiplied by alpha on the way in (so transparent pixels
 * cannot bleed their colour) and divided by the resampled alpha on the way out. Without it alpha is ignored
 * and written as 255.
 *
 * Protocol (one handle per resize, any number of handles at once):
 *   h = resize_begin(in_w, in_h, out_w, out_h, shrink_x, shrink_y, flags)     0 on bad arguments or no memory
 *   loop until out_h rows were pulled:
 *     n = resize_pull(h)        writes up to resize_output_rows(h) finished rows to resize_output(h); 0 = needs input
 *     if n == 0: k = resize_want(h); write k source rows to resize_input(h); resize_push(h, k)
 *   resize_end(h)
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
/* -DPROFILE keeps the per-row input stages as separate functions, so a profiler can tell them apart. */
#ifdef PROFILE
#define PROFILED __attribute__((noinline))
#else
#define PROFILED
#endif

enum {
  RESIZE_ALPHA = 1,          /* premultiply on input, unpremultiply on output */
  RESIZE_FILTER_SHIFT = 1,   /* bits 1-2: filter */
  RESIZE_FILTER_LANCZOS3 = 0,
  RESIZE_FILTER_TRIANGLE = 1,
  RESIZE_BOX_SOURCE = 8,     /* the source is box-filtered: compensate (see above) */
};

#define BOX_COMPENSATION (1.0 / 24.0) /* the side taps of the compensation are -BOX_COMPENSATION */

#define MAX_SIDE 65535
#define MAX_SHRINK 128        /* keeps the alpha accumulators (sum of c*a) inside 32 bits */
#define WEIGHT_BITS 14        /* weights sum to 1 << WEIGHT_BITS */
#define SAMPLE_BITS 6         /* samples are value << SAMPLE_BITS */
#define INPUT_BYTES (256 * 1024)  /* source rows per push: about this many bytes */
#define OUTPUT_BYTES (128 * 1024) /* output rows per pull: about this many bytes */
#define RING_SLACK 4          /* filtered rows beyond the tallest window, so pushes can be a few rows */

typedef struct {
  int samples;      /* input samples on this axis after the shrink */
  int taps;         /* taps per output sample, even, >= 2 (short windows are padded with zero weights) */
  int32_t *start;   /* [out] index of the first tap; start + taps never runs past the padded input */
  int32_t *end;     /* [out] one past the last tap with a non-zero weight, <= samples */
  int16_t *weights; /* [out * taps] */
} Axis;

typedef struct {
  int in_w, in_h, out_w, out_h, fx, fy, alpha;
  Axis h, v;
  int32_t *min_start; /* [out_h] min of v.start over rows y.. out_h-1: the oldest filtered row still needed */

  uint8_t *input; /* input_rows source rows, plus slack: filter_h's loads may run up to taps + 4 pixels past a row */
  int input_rows;
  uint8_t *output; /* output_rows output rows */
  int output_rows;

  void *acc;      /* shrink: fy-row sums, uint16 per channel (opaque) or uint32 (alpha); in_w * 4 */
  int acc_rows;   /* source rows summed into acc so far */
  int16_t *line;  /* one shrunk or premultiplied row of int16 RGBA; in_w + 2 pixels, zero past the row */
  v128_t *pairs;  /* pairs[k] = pixels k and k+1 of line interleaved (R R G G B B A A), h.samples + h.taps entries */

  int16_t *ring;  /* ring_rows rows of stride int16 values */
  int ring_rows;
  int stride;     /* out_w rounded up to 4 pixels, times 4 channels */
  const int16_t **taps; /* [v.taps] row pointers for the current output row */

  int rows_in;    /* source rows pushed */
  int filtered;   /* shrunk rows filtered into the ring */
  int rows_out;   /* output rows pulled */
} Resizer;

/* ---------------------------------------------------------------------------------------------------------------
 * Filter weights
 */

static double lanczos3(double x) {
  x = fabs(x);
  if (x < 1e-12) return 1.0;
  if (x >= 3.0) return 0.0;
  const double px = M_PI * x;
  return 3.0 * sin(px) * sin(px / 3.0) / (px * px);
}

static double triangle(double x) {
  x = fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

/*
 * Weights for `out` samples taken from `src` source samples shrunk by `f` (so ceil(src / f) samples), with the
 * box compensation when `box`. Returns 0 when out of memory.
 */
static int axis_init(Axis *a, int src, int f, int out, int filter, int box) {
  const int n = (src + f - 1) / f;
  const double scale = (double)src / out / f; /* shrunk samples per output sample */
  const double stretch = scale > 1.0 ? scale : 1.0;
  const double support = filter == RESIZE_FILTER_TRIANGLE ? 1.0 : 3.0;
  double (*kernel)(double) = filter == RESIZE_FILTER_TRIANGLE ? triangle : lanczos3;
  const double radius = support * stretch;
  const int extra = box ? 1 : 0; /* the compensation's reach beyond the kernel, each side */
  const double side = box ? -BOX_COMPENSATION : 0.0, middle = 1.0 - 2.0 * side;
  const int window = (int)ceil(2.0 * radius) + 2 + 2 * extra; /* candidate taps per output sample, before clamping */

  a->samples = n;
  a->start = malloc(sizeof(int32_t) * out);
  a->end = malloc(sizeof(int32_t) * out);
  double *w = malloc(sizeof(double) * (n < window ? n : window));
  int32_t *iw = malloc(sizeof(int32_t) * window);
  int16_t *all = malloc(sizeof(int16_t) * (size_t)out * window); /* provisional, [out][window] */
  if (!a->start || !a->end || !w || !iw || !all) {
    free(w), free(iw), free(all);
    return 0;
  }

  int taps = 1;
  for (int x = 0; x < out; x++) {
    const double centre = ((double)x + 0.5) * scale - 0.5;
    int lo = (int)floor(centre - radius) + 1;
    int hi = (int)ceil(centre + radius) - 1;
    if (hi < lo) hi = lo;
    /* Fold taps beyond the edges onto the edge sample. */
    const int first = lo - extra < 0 ? 0 : lo - extra > n - 1 ? n - 1 : lo - extra;
    const int last = hi + extra < 0 ? 0 : hi + extra > n - 1 ? n - 1 : hi + extra;
    const int span = last - first + 1;
    for (int i = 0; i < span; i++) w[i] = 0.0;
    double sum = 0.0;
    for (int j = lo; j <= hi; j++) {
      const double k = kernel((j - centre) / stretch);
      for (int d = -extra; d <= extra; d++) {
        const int t = j + d;
        const int at = t < 0 ? 0 : t > n - 1 ? n - 1 : t;
        w[at - first] += (d == 0 ? middle : side) * k;
      }
      sum += k; /* the compensation's taps sum to 1 */
    }
    if (sum == 0.0) { /* cannot happen for these kernels, but never divide by zero */
      w[(int)fmin(fmax(round(centre), first), last) - first] = sum = 1.0;
    }
    /* Round to fixed point; the rounding error goes to the largest weight so they sum exactly to 1. */
    int32_t total = 0;
    int biggest = 0;
    for (int i = 0; i < span; i++) {
      iw[i] = (int32_t)lrint(w[i] / sum * (1 << WEIGHT_BITS));
      total += iw[i];
      if (iw[i] > iw[biggest]) biggest = i;
    }
    iw[biggest] += (1 << WEIGHT_BITS) - total;
    /* Trim zero weights at both ends. */
    int a0 = 0, a1 = span - 1;
    while (a0 < a1 && iw[a0] == 0) a0++;
    while (a1 > a0 && iw[a1] == 0) a1--;
    a->start[x] = first + a0;
    a->end[x] = first + a1 + 1;
    for (int i = a0; i <= a1; i++) all[(size_t)x * window + (i - a0)] = (int16_t)iw[i];
    if (a1 - a0 + 1 > taps) taps = a1 - a0 + 1;
  }
  taps = (taps + 1) & ~1;
  a->taps = taps;
  a->weights = calloc((size_t)out * taps, sizeof(int16_t));
  if (!a->weights) {
    free(w), free(iw), free(all);
    return 0;
  }
  for (int x = 0; x < out; x++) {
    const int span = a->end[x] - a->start[x];
    memcpy(a->weights + (size_t)x * taps, all + (size_t)x * window, sizeof(int16_t) * span);
  }
  free(w), free(iw), free(all);
  return 1;
}

static void axis_free(Axis *a) {
  free(a->start);
  free(a->end);
  free(a->weights);
}

/* ---------------------------------------------------------------------------------------------------------------
 * Input stage: source row → line (int16 RGBA, 1/64 units, premultiplied with alpha) when shrinking or with alpha
 */

/* pairs[k] = (R_k R_k+1 G_k G_k+1 B_k B_k+1 A_k A_k+1) from line. line has a zero pixel after the last. */
static PROFILED void make_pairs(Resizer *r) {
  const int16_t *line = r->line;
  v128_t *pairs = r->pairs;
  const int n = r->h.samples;
  for (int k = 0; k < n; k++) {
    const v128_t two = wasm_v128_load(line + 4 * k); /* pixels k and k+1 */
    pairs[k] = wasm_i16x8_shuffle(two, two, 0, 4, 1, 5, 2, 6, 3, 7);
  }
}

/*
 * Alpha, no shrink: premultiply into line. With x = c*a (or a*255 for alpha itself), the sample is
 * round(x * 64 / 255) = (x * 65793 + 2^17) >> 18 for every x <= 65025 (65793 = 2^18 * 64 / 255, rounded; the
 * product stays below 2^32). Integer only: LLVM 14 scalarises u16→f32 conversions.
 */
static PROFILED void line_from_alpha(Resizer *r, const uint8_t *src) {
  int16_t *line = r->line;
  const int n = r->in_w;
  const v128_t full = wasm_i16x8_splat(255);
  const v128_t mul = wasm_i32x4_splat(65793), half = wasm_i32x4_splat(1 << 17);
  for (int x = 0; x < n; x += 2) {
    const v128_t px = wasm_u16x8_extend_low_u8x16(wasm_v128_load64_zero(src + 4 * x));
    const v128_t m = wasm_i16x8_shuffle(px, full, 3, 3, 3, 8, 7, 7, 7, 8);
    const v128_t pm = wasm_i16x8_mul(px, m); /* <= 65025: fits uint16 */
    v128_t lo = wasm_u32x4_extend_low_u16x8(pm), hi = wasm_u32x4_extend_high_u16x8(pm);
    lo = wasm_u32x4_shr(wasm_i32x4_add(wasm_i32x4_mul(lo, mul), half), 18);
    hi = wasm_u32x4_shr(wasm_i32x4_add(wasm_i32x4_mul(hi, mul), half), 18);
    wasm_v128_store(line + 4 * x, wasm_i16x8_narrow_i32x4(lo, hi));
  }
  /* An odd width wrote one pixel past the row from the next row's bytes: restore the zero padding. */
  memset(line + 4 * n, 0, 4 * sizeof(int16_t));
}

/* Shrink: add one source row to the column sums. */
static PROFILED void accumulate(Resizer *r, const uint8_t *src) {
  const int values = r->in_w * 4;
  const int first = r->acc_rows == 0;
  if (!r->alpha) {
    uint16_t *acc = r->acc;
    int i = 0;
    for (; i + 16 <= values; i += 16) {
      const v128_t b = wasm_v128_load(src + i);
      v128_t lo = wasm_u16x8_extend_low_u8x16(b), hi = wasm_u16x8_extend_high_u8x16(b);
      if (!first) {
        lo = wasm_i16x8_add(lo, wasm_v128_load(acc + i));
        hi = wasm_i16x8_add(hi, wasm_v128_load(acc + i + 8));
      }
      wasm_v128_store(acc + i, lo);
      wasm_v128_store(acc + i + 8, hi);
    }
    for (; i < values; i++) acc[i] = (uint16_t)((first ? 0 : acc[i]) + src[i]);
  } else {
    /* Premultiplied, in 1/255 units: colour c*a, alpha a*255. */
    uint32_t *acc = r->acc;
    const v128_t full = wasm_i16x8_splat(255);
    int i = 0;
    for (; i + 8 <= values; i += 8) {
      const v128_t px = wasm_u16x8_extend_low_u8x16(wasm_v128_load64_zero(src + i));
      const v128_t m = wasm_i16x8_shuffle(px, full, 3, 3, 3, 8, 7, 7, 7, 8);
      const v128_t pm = wasm_i16x8_mul(px, m); /* <= 65025: fits uint16 */
      v128_t lo = wasm_u32x4_extend_low_u16x8(pm), hi = wasm_u32x4_extend_high_u16x8(pm);
      if (!first) {
        lo = wasm_i32x4_add(lo, wasm_v128_load(acc + i));
        hi = wasm_i32x4_add(hi, wasm_v128_load(acc + i + 4));
      }
      wasm_v128_store(acc + i, lo);
      wasm_v128_store(acc + i + 4, hi);
    }
    for (; i < values; i += 4) {
      const uint32_t a = src[i + 3];
      for (int c = 0; c < 4; c++) {
        const uint32_t v = c == 3 ? a * 255 : src[i + c] * a;
        acc[i + c] = (first ? 0 : acc[i + c]) + v;
      }
    }
  }
  r->acc_rows++;
}

/*
 * Shrink: average fx neighbours of the column sums into line. Opaque sums (<= 255 * fx * fy) are scaled in
 * integers: round(sum * 64 / count) = (sum * round(2^24 / count) + 2^17) >> 18, which stays inside 32 bits and
 * is exact for a flat colour. Alpha sums (c*a, up to 65025 * fx * fy) are scaled in float.
 */
/*
 * Rounds floats in [0, 2^22) to the nearest integer (ties to even): adding 1.5 * 2^23 leaves the integer in the
 * low mantissa bits. Two instructions, where nearest + trunc_sat cost a dozen in V8.
 */
static inline v128_t round_to_int(v128_t v) {
  const v128_t magic = wasm_f32x4_splat(12582912.0f);
  return wasm_i32x4_sub(wasm_f32x4_add(v, magic), magic);
}

static inline __attribute__((always_inline)) v128_t block_sum(const Resizer *r, int x0, const int count) {
  v128_t sum = wasm_i32x4_splat(0);
  if (!r->alpha) {
    const uint16_t *acc = (const uint16_t *)r->acc + 4 * x0;
    for (int k = 0; k < count; k++) sum = wasm_i32x4_add(sum, wasm_u32x4_load16x4(acc + 4 * k));
  } else {
    const uint32_t *acc = (const uint32_t *)r->acc + 4 * x0;
    for (int k = 0; k < count; k++) sum = wasm_i32x4_add(sum, wasm_v128_load(acc + 4 * k));
  }
  return sum;
}

static inline __attribute__((always_inline)) v128_t block_mean(const Resizer *r, v128_t sum, int count) {
  const int pixels = count * r->acc_rows;
  if (!r->alpha) {
    const v128_t m = wasm_i32x4_splat((int32_t)(((1u << 24) + pixels / 2) / pixels));
    return wasm_u32x4_shr(wasm_i32x4_add(wasm_i32x4_mul(sum, m), wasm_i32x4_splat(1 << 17)), 18);
  }
  /* sums < 2^31: the signed conversion is a single instruction */
  const v128_t v = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(sum), wasm_f32x4_splat((float)(1 << SAMPLE_BITS) / (255.0f * pixels)));
  return round_to_int(v);
}

static inline __attribute__((always_inline)) void emit_body(Resizer *r, const int fx) {
  const int n = r->h.samples, w = r->in_w;
  const int full = w / fx; /* whole blocks; a last partial one follows when fx does not divide w */
  int16_t *line = r->line;
  int xs = 0;
  for (; xs + 2 <= full; xs += 2) {
    const v128_t a = block_mean(r, block_sum(r, xs * fx, fx), fx);
    const v128_t b = block_mean(r, block_sum(r, (xs + 1) * fx, fx), fx);
    wasm_v128_store(line + 4 * xs, wasm_i16x8_narrow_i32x4(a, b));
  }
  for (; xs < n; xs++) {
    const int count = xs < full ? fx : w - xs * fx;
    const v128_t a = block_mean(r, block_sum(r, xs * fx, count), count);
    wasm_v128_store64_lane(line + 4 * xs, wasm_i16x8_narrow_i32x4(a, a), 0);
  }
}

/*
 * Opaque 2x2 shrink with both source rows at hand: straight into line, no column sums. Same values as
 * accumulate + emit_shrunk: the mean of 4 samples in 1/64 units is exactly sum << 4 (of 2 at the odd edge,
 * sum << 5).
 */
static PROFILED void shrink_2x2(Resizer *r, const uint8_t *a, const uint8_t *b) {
  int16_t *line = r->line;
  const int w = r->in_w, full = w / 2;
  int xs = 0;
  for (; xs + 2 <= full; xs += 2) { /* 4 source pixels of each row → 2 pixels */
    const v128_t va = wasm_v128_load(a + 8 * xs), vb = wasm_v128_load(b + 8 * xs);
    const v128_t lo = wasm_i16x8_add(wasm_u16x8_extend_low_u8x16(va), wasm_u16x8_extend_low_u8x16(vb));
    const v128_t hi = wasm_i16x8_add(wasm_u16x8_extend_high_u8x16(va), wasm_u16x8_extend_high_u8x16(vb));
    const v128_t sum = wasm_i16x8_add(wasm_i16x8_shuffle(lo, hi, 0, 1, 2, 3, 8, 9, 10, 11),
                                      wasm_i16x8_shuffle(lo, hi, 4, 5, 6, 7, 12, 13, 14, 15));
    wasm_v128_store(line + 4 * xs, wasm_i16x8_shl(sum, 4));
  }
  for (; xs < full; xs++)
    for (int c = 0; c < 4; c++) line[4 * xs + c] = (int16_t)((a[8 * xs + c] + a[8 * xs + 4 + c] + b[8 * xs + c] + b[8 * xs + 4 + c]) << 4);
  if (w & 1)
    for (int c = 0; c < 4; c++) line[4 * full + c] = (int16_t)((a[4 * (w - 1) + c] + b[4 * (w - 1) + c]) << 5);
}

static PROFILED void emit_shrunk(Resizer *r) {
  switch (r->fx) {
    case 1: emit_body(r, 1); break;
    case 2: emit_body(r, 2); break;
    case 3: emit_body(r, 3); break;
    case 4: emit_body(r, 4); break;
    default: emit_body(r, r->fx); break;
  }
  r->acc_rows = 0;
}

/* ---------------------------------------------------------------------------------------------------------------
 * Filters
 */

#define ROUND(bits) wasm_i32x4_splat(1 << ((bits) - 1))

/*
 * Horizontal pass: one row → one filtered row (int16 RGBA, 1/64 units), four output pixels per iteration.
 * Each i32x4.dot_i16x8_s takes two taps of all four channels, from the two neighbouring pixels interleaved
 * (R_k R_k+1 G_k G_k+1 B_k B_k+1 A_k A_k+1), built by one shuffle straight from the row:
 * - from the source bytes (opaque, no shrink): one 16-byte load holds four pixels, two tap pairs, widened by a
 *   swizzle whose out-of-range indices give the zero high bytes. The samples are then plain u8 rather than
 *   1/64 units, so the sum is scaled by 2^(WEIGHT_BITS - SAMPLE_BITS) instead: the same result bit for bit,
 *   (64 * s + 2^13) >> 14 == (s + 2^7) >> 8;
 * - from pairs (made from line, shrunk or premultiplied, once per sample: with more taps than samples per row
 *   that is cheaper than a shuffle per tap): one load per tap pair.
 * Taps past the row have zero weight; the loads may read up to taps pixels past it (slack is allocated).
 * The body is inlined once per small tap count so the compiler unrolls the tap loop completely.
 */
#define SWIZZLE_LO wasm_i8x16_const(0, -1, 4, -1, 1, -1, 5, -1, 2, -1, 6, -1, 3, -1, 7, -1)
#define SWIZZLE_HI wasm_i8x16_const(8, -1, 12, -1, 9, -1, 13, -1, 10, -1, 14, -1, 11, -1, 15, -1)

/* Tap pair j of the pixel starting at p (u8 RGBA), for j = 2m (lo) and 2m + 1 (hi) from one load. */
static inline __attribute__((always_inline)) v128_t sum_u8(const uint8_t *p, const int16_t *w, const int pairs, v128_t s) {
  for (int j = 0; j < pairs; j += 2) {
    const v128_t four = wasm_v128_load(p + 8 * j);
    s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_i8x16_swizzle(four, SWIZZLE_LO), wasm_v128_load32_splat(w + 2 * j)));
    if (j + 1 < pairs)
      s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(wasm_i8x16_swizzle(four, SWIZZLE_HI), wasm_v128_load32_splat(w + 2 * j + 2)));
  }
  return s;
}

static inline __attribute__((always_inline)) v128_t sum_pairs(const v128_t *p, const int16_t *w, const int pairs, v128_t s) {
  for (int j = 0; j < pairs; j++) s = wasm_i32x4_add(s, wasm_i32x4_dot_i16x8(p[2 * j], wasm_v128_load32_splat(w + 2 * j)));
  return s;
}

static inline __attribute__((always_inline)) void filter_h_body(const Resizer *r, const void *row, int16_t *dst,
                                                                const int pairs, const int bytes) {
  const Axis *a = &r->h;
  const int taps = a->taps, out = r->out_w;
  const int16_t *w = a->weights;
  const int32_t *start = a->start;
  const int shift = bytes ? WEIGHT_BITS - SAMPLE_BITS : WEIGHT_BITS;
  const v128_t bias = wasm_i32x4_splat(1 << (shift - 1));
#define SUM(x, s) (bytes ? sum_u8((const uint8_t *)row + 4 * start[x], w + (size_t)(x) * taps, pairs, s) \
                         : sum_pairs((const v128_t *)row + start[x], w + (size_t)(x) * taps, pairs, s))
  int x = 0;
  for (; x + 4 <= out; x += 4) {
    v128_t s0 = SUM(x, bias), s1 = SUM(x + 1, bias), s2 = SUM(x + 2, bias), s3 = SUM(x + 3, bias);
    s0 = wasm_i32x4_shr(s0, shift), s1 = wasm_i32x4_shr(s1, shift);
    s2 = wasm_i32x4_shr(s2, shift), s3 = wasm_i32x4_shr(s3, shift);
    wasm_v128_store(dst + 4 * x, wasm_i16x8_narrow_i32x4(s0, s1));
    wasm_v128_store(dst + 4 * x + 8, wasm_i16x8_narrow_i32x4(s2, s3));
  }
  for (; x < out; x++) {
    v128_t s = wasm_i32x4_shr(SUM(x, bias), shift);
    wasm_v128_store64_lane(dst + 4 * x, wasm_i16x8_narrow_i32x4(s, s), 0);
  }
#undef SUM
}

#define FILTER_H_CASES(bytes)                                         \
  switch (r->h.taps / 2) {                                            \
    case 1: filter_h_body(r, row, dst, 1, bytes); break;              \
    case 2: filter_h_body(r, row, dst, 2, bytes); break;              \
    case 3: filter_h_body(r, row, dst, 3, bytes); break;              \
    case 4: filter_h_body(r, row, dst, 4, bytes); break;              \
    case 5: filter_h_body(r, row, dst, 5, bytes); break;              \
    case 6: filter_h_body(r, row, dst, 6, bytes); break;              \
    case 7: filter_h_body(r, row, dst, 7, bytes); break;              \
    case 8: filter_h_body(r, row, dst, 8, bytes); break;              \
    default: filter_h_body(r, row, dst, r->h.taps / 2, bytes); break; \
  }

/* From source bytes (opaque, no shrink) */
static PROFILED void filter_h_u8(const Resizer *r, const uint8_t *row, int16_t *dst) { FILTER_H_CASES(1) }
/* From pairs */
static PROFILED void filter_h_pairs(const Resizer *r, const v128_t *row, int16_t *dst) { FILTER_H_CASES(0) }

#define LO(a, b) wasm_i16x8_shuffle(a, b, 0, 8, 1, 9, 2, 10, 3, 11)
#define HI(a, b) wasm_i16x8_shuffle(a, b, 4, 12, 5, 13, 6, 14, 7, 15)

/* Unpremultiply one pixel's sums (scale 2^20 per unit) and return it as int32 0..255 lanes. */
static inline v128_t unpremultiply(v128_t sum) {
  const v128_t s = wasm_f32x4_convert_i32x4(sum);
  const v128_t alpha = wasm_i32x4_shuffle(s, s, 3, 3, 3, 3);
  /* (c * 255 / a, c * 255 / a, c * 255 / a, a / 2^20) */
  const v128_t num = wasm_f32x4_mul(s, wasm_f32x4_make(255.0f, 255.0f, 255.0f, 1.0f));
  const v128_t den = wasm_i32x4_shuffle(alpha, wasm_f32x4_splat((float)(1 << (WEIGHT_BITS + SAMPLE_BITS))), 0, 1, 2, 4);
  v128_t v = wasm_f32x4_div(num, den);
  /* No alpha left: the colour is meaningless, write zeros (this also clears the NaN of 0 / 0). */
  v = wasm_v128_and(v, wasm_f32x4_gt(alpha, wasm_f32x4_splat(0.0f)));
  v = wasm_f32x4_pmax(wasm_f32x4_pmin(v, wasm_f32x4_splat(255.0f)), wasm_f32x4_splat(0.0f));
  return round_to_int(v);
}

/*
 * Finishes four pixels (16 values) of the vertical pass: scale down (or unpremultiply) the sums, pack to u8,
 * force alpha opaque when the image has none, and store (a partial store at the row's end).
 */
static inline __attribute__((always_inline)) void store_pixels(uint8_t *dst, const int i, const int values, v128_t s0,
                                                               v128_t s1, v128_t s2, v128_t s3, const int alpha,
                                                               const int shift) {
  v128_t px;
  if (!alpha) {
    s0 = wasm_i32x4_shr(s0, shift), s1 = wasm_i32x4_shr(s1, shift);
    s2 = wasm_i32x4_shr(s2, shift), s3 = wasm_i32x4_shr(s3, shift);
    px = wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(s0, s1), wasm_i16x8_narrow_i32x4(s2, s3));
    px = wasm_v128_or(px, wasm_i32x4_splat((int32_t)0xff000000u));
  } else {
    px = wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(unpremultiply(s0), unpremultiply(s1)),
                                 wasm_i16x8_narrow_i32x4(unpremultiply(s2), unpremultiply(s3)));
  }
  if (i + 16 <= values) {
    wasm_v128_store(dst + i, px);
  } else {
    uint8_t tail[16];
    wasm_v128_store(tail, px);
    memcpy(dst + i, tail, values - i);
  }
}

/*
 * Vertical pass: the taps rows → one output row of u8 RGBA, four pixels (16 values) per iteration. Row
 * pointers and weights are copied to locals first: the u8 stores may alias anything, so the compiler would
 * otherwise reload them on every iteration.
 */
static inline __attribute__((always_inline)) void filter_v_body(const Resizer *r, const int16_t *const *rows_in,
                                                                const int16_t *w, uint8_t *dst, const int pairs,
                                                                const int alpha) {
  const int values = r->out_w * 4;
  const int shift = WEIGHT_BITS + SAMPLE_BITS;
  const v128_t bias = ROUND(shift);
  const int16_t *rows[2 * 12];
  v128_t wj[12];
  for (int j = 0; j < pairs; j++) {
    rows[2 * j] = rows_in[2 * j], rows[2 * j + 1] = rows_in[2 * j + 1];
    wj[j] = wasm_v128_load32_splat(w + 2 * j);
  }
  for (int i = 0; i < values; i += 16) {
    v128_t s0 = alpha ? wasm_i32x4_splat(0) : bias, s1 = s0, s2 = s0, s3 = s0;
    for (int j = 0; j < pairs; j++) {
      const int16_t *a = rows[2 * j] + i, *b = rows[2 * j + 1] + i;
      const v128_t a0 = wasm_v128_load(a), b0 = wasm_v128_load(b);
      const v128_t a1 = wasm_v128_load(a + 8), b1 = wasm_v128_load(b + 8);
      s0 = wasm_i32x4_add(s0, wasm_i32x4_dot_i16x8(LO(a0, b0), wj[j]));
      s1 = wasm_i32x4_add(s1, wasm_i32x4_dot_i16x8(HI(a0, b0), wj[j]));
      s2 = wasm_i32x4_add(s2, wasm_i32x4_dot_i16x8(LO(a1, b1), wj[j]));
      s3 = wasm_i32x4_add(s3, wasm_i32x4_dot_i16x8(HI(a1, b1), wj[j]));
    }
    store_pixels(dst, i, values, s0, s1, s2, s3, alpha, shift);
  }
}

/* The generic body handles any tap count, one pair at a time (windows taller than 32 taps). */
static void filter_v_any(const Resizer *r, const int16_t *const *rows, const int16_t *w, uint8_t *dst) {
  const int values = r->out_w * 4, pairs = r->v.taps / 2;
  const int shift = WEIGHT_BITS + SAMPLE_BITS;
  const v128_t bias = ROUND(shift);
  const int alpha = r->alpha;
  for (int i = 0; i < values; i += 16) {
    v128_t s0 = alpha ? wasm_i32x4_splat(0) : bias, s1 = s0, s2 = s0, s3 = s0;
    for (int j = 0; j < pairs; j++) {
      const int16_t *a = rows[2 * j] + i, *b = rows[2 * j + 1] + i;
      const v128_t wj = wasm_v128_load32_splat(w + 2 * j);
      const v128_t a0 = wasm_v128_load(a), b0 = wasm_v128_load(b);
      const v128_t a1 = wasm_v128_load(a + 8), b1 = wasm_v128_load(b + 8);
      s0 = wasm_i32x4_add(s0, wasm_i32x4_dot_i16x8(LO(a0, b0), wj));
      s1 = wasm_i32x4_add(s1, wasm_i32x4_dot_i16x8(HI(a0, b0), wj));
      s2 = wasm_i32x4_add(s2, wasm_i32x4_dot_i16x8(LO(a1, b1), wj));
      s3 = wasm_i32x4_add(s3, wasm_i32x4_dot_i16x8(HI(a1, b1), wj));
    }
    store_pixels(dst, i, values, s0, s1, s2, s3, alpha, shift);
  }
}

#define FILTER_V_CASES(alpha)                                               \
  switch (r->v.taps / 2) {                                                  \
    case 1: filter_v_body(r, rows, w, dst, 1, alpha); break;                \
    case 2: filter_v_body(r, rows, w, dst, 2, alpha); break;                \
    case 3: filter_v_body(r, rows, w, dst, 3, alpha); break;                \
    case 4: filter_v_body(r, rows, w, dst, 4, alpha); break;                \
    case 5: filter_v_body(r, rows, w, dst, 5, alpha); break;                \
    case 6: filter_v_body(r, rows, w, dst, 6, alpha); break;                \
    case 7: filter_v_body(r, rows, w, dst, 7, alpha); break;                \
    case 8: filter_v_body(r, rows, w, dst, 8, alpha); break;                \
    case 9: filter_v_body(r, rows, w, dst, 9, alpha); break;                \
    case 10: filter_v_body(r, rows, w, dst, 10, alpha); break;              \
    case 11: filter_v_body(r, rows, w, dst, 11, alpha); break;              \
    case 12: filter_v_body(r, rows, w, dst, 12, alpha); break;              \
    default: filter_v_any(r, rows, w, dst); break;                          \
  }

static void filter_v(const Resizer *r, const int16_t *const *rows, const int16_t *w, uint8_t *dst) {
  if (r->alpha) {
    FILTER_V_CASES(1)
  } else {
    FILTER_V_CASES(0)
  }
}

/* ---------------------------------------------------------------------------------------------------------------
 * Exports
 */

static void destroy(Resizer *r) {
  if (!r) return;
  axis_free(&r->h);
  axis_free(&r->v);
  free(r->min_start);
  free(r->input);
  free(r->output);
  free(r->acc);
  free(r->line);
  free(r->pairs);
  free(r->ring);
  free(r->taps);
  free(r);
}

EXPORT(resize_begin)
Resizer *resize_begin(int in_w, int in_h, int out_w, int out_h, int shrink_x, int shrink_y, int flags) {
  if (in_w < 1 || in_h < 1 || out_w < 1 || out_h < 1) return 0;
  if (in_w > MAX_SIDE || in_h > MAX_SIDE || out_w > MAX_SIDE || out_h > MAX_SIDE) return 0;
  if (shrink_x < 1 || shrink_y < 1 || shrink_x > MAX_SHRINK || shrink_y > MAX_SHRINK) return 0;
  if (shrink_x > in_w || shrink_y > in_h) return 0;
  const int filter = (flags >> RESIZE_FILTER_SHIFT) & 3;
  if (filter != RESIZE_FILTER_LANCZOS3 && filter != RESIZE_FILTER_TRIANGLE) return 0;
  const int box = (flags & RESIZE_BOX_SOURCE) != 0;

  Resizer *r = calloc(1, sizeof(Resizer));
  if (!r) return 0;
  r->in_w = in_w, r->in_h = in_h, r->out_w = out_w, r->out_h = out_h;
  r->fx = shrink_x, r->fy = shrink_y, r->alpha = flags & RESIZE_ALPHA;
  if (!axis_init(&r->h, in_w, shrink_x, out_w, filter, box) || !axis_init(&r->v, in_h, shrink_y, out_h, filter, box)) {
    destroy(r);
    return 0;
  }

  /* Oldest filtered row each remaining output row needs, and how many rows the ring must keep at once. */
  r->min_start = malloc(sizeof(int32_t) * out_h);
  if (!r->min_start) return destroy(r), (Resizer *)0;
  int32_t oldest = r->v.start[out_h - 1];
  int window = 0;
  for (int y = out_h - 1; y >= 0; y--) {
    if (r->v.start[y] < oldest) oldest = r->v.start[y];
    r->min_start[y] = oldest;
    if (r->v.end[y] - oldest > window) window = r->v.end[y] - oldest;
  }
  if (window < r->v.taps) window = r->v.taps;
  r->ring_rows = window + RING_SLACK;

  const size_t row_bytes = (size_t)in_w * 4;
  r->input_rows = INPUT_BYTES / row_bytes;
  if (r->input_rows < 1) r->input_rows = 1;
  if (r->input_rows > in_h) r->input_rows = in_h;
  const size_t slack = ((size_t)r->h.taps + 4) * 4;
  r->input = malloc(row_bytes * r->input_rows + slack);
  r->output_rows = OUTPUT_BYTES / ((size_t)out_w * 4);
  if (r->output_rows < 1) r->output_rows = 1;
  if (r->output_rows > out_h) r->output_rows = out_h;
  r->output = malloc((size_t)out_w * 4 * r->output_rows);
  if (shrink_x > 1 || shrink_y > 1) r->acc = malloc((size_t)in_w * 4 * (r->alpha ? 4 : 2));
  /* line: the widest of the shrunk row and (alpha, no shrink) the source row, plus a zero pixel and slack */
  r->line = calloc((size_t)in_w + 2, 4 * sizeof(int16_t));
  /* pairs: only when filter_h reads line (shrink or alpha); opaque rows are filtered straight from the input */
  if (r->alpha || shrink_x > 1 || shrink_y > 1) r->pairs = calloc((size_t)r->h.samples + r->h.taps, sizeof(v128_t));
  r->stride = ((out_w + 3) & ~3) * 4;
  r->ring = calloc((size_t)r->stride * r->ring_rows, sizeof(int16_t));
  r->taps = malloc(sizeof(int16_t *) * r->v.taps);
  if (!r->input || !r->output || (!r->acc && (shrink_x > 1 || shrink_y > 1)) || !r->line || !r->ring ||
      (!r->pairs && (r->alpha || shrink_x > 1 || shrink_y > 1)) ||
      !r->taps) {
    destroy(r);
    return 0;
  }
  memset(r->input + row_bytes * r->input_rows, 0, slack);
  return r;
}

EXPORT(resize_input) uint8_t *resize_input(Resizer *r) { return r->input; }
EXPORT(resize_input_rows) int resize_input_rows(Resizer *r) { return r->input_rows; }
EXPORT(resize_output) uint8_t *resize_output(Resizer *r) { return r->output; }
EXPORT(resize_output_rows) int resize_output_rows(Resizer *r) { return r->output_rows; }

/* How many source rows the host may push now: 0 once every output row has been pulled. */
EXPORT(resize_want)
int resize_want(Resizer *r) {
  if (r->rows_out >= r->out_h) return 0;
  const int room = r->min_start[r->rows_out] + r->ring_rows - r->filtered; /* shrunk rows the ring can take */
  if (room <= 0) return 0;
  long long rows = (long long)room * r->fy - r->acc_rows;
  if (rows > r->input_rows) rows = r->input_rows;
  if (rows > r->in_h - r->rows_in) rows = r->in_h - r->rows_in;
  return rows < 0 ? 0 : (int)rows;
}

/* Takes n source rows from the input buffer. Returns 0, or -1 when n is more than resize_want allows. */
EXPORT(resize_push)
int resize_push(Resizer *r, int n) {
  if (n < 0 || n > resize_want(r)) return -1;
  const size_t row_bytes = (size_t)r->in_w * 4;
  const int shrink = r->fx > 1 || r->fy > 1;
  const int two_by_two = !r->alpha && r->fx == 2 && r->fy == 2;
  for (int i = 0; i < n; i++) {
    const uint8_t *src = r->input + row_bytes * i;
    int16_t *dst = r->ring + (size_t)(r->filtered % r->ring_rows) * r->stride;
    r->rows_in++;
    if (two_by_two && r->acc_rows == 0 && i + 1 < n) {
      shrink_2x2(r, src, src + row_bytes);
      r->rows_in++, i++;
      make_pairs(r);
      filter_h_pairs(r, r->pairs, dst);
    } else if (shrink) {
      accumulate(r, src);
      if (r->acc_rows < r->fy && r->rows_in < r->in_h) continue;
      emit_shrunk(r);
      make_pairs(r);
      filter_h_pairs(r, r->pairs, dst);
    } else if (r->alpha) {
      line_from_alpha(r, src);
      make_pairs(r);
      filter_h_pairs(r, r->pairs, dst);
    } else {
      filter_h_u8(r, src, dst);
    }
    r->filtered++;
  }
  return 0;
}

/* Writes the output rows that can be finished now (at most resize_output_rows) and returns how many. */
EXPORT(resize_pull)
int resize_pull(Resizer *r) {
  const int taps = r->v.taps;
  int made = 0;
  while (made < r->output_rows && r->rows_out < r->out_h && r->v.end[r->rows_out] <= r->filtered) {
    const int y = r->rows_out;
    const int start = r->v.start[y];
    /* Taps past the last filtered row have zero weight; they point at any ring row. */
    for (int t = 0; t < taps; t++) r->taps[t] = r->ring + (size_t)((start + t) % r->ring_rows) * r->stride;
    filter_v(r, r->taps, r->v.weights + (size_t)y * taps, r->output + (size_t)made * r->out_w * 4);
    r->rows_out++;
    made++;
  }
  return made;
}

EXPORT(resize_end) void resize_end(Resizer *r) { destroy(r); }
