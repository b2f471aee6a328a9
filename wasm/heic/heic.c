/*
 * edgepix HEIC decoder: HEVC coded images (a HEIF item, or one tile of a grid) decoded by libde265 (Debian's
 * source) and converted to RGBA, built as a standalone WASM reactor. The HEIF container stays with the host
 * (src/codecs/heic/): it finds the items, their hvcC configuration and their data, and calls heic_decode once
 * per coded image with only those bytes, so the module holds libde265's state for one image (a 512×512 tile
 * of an iPhone photo) and the RGBA strip the host asked it to write into: never the file.
 *
 * - hvcC's parameter sets (VPS, SPS, PPS) and then the item's length-prefixed NAL units go to libde265 one
 *   NAL at a time; one picture must come out.
 * - The picture is converted to 8-bit RGBA into the host's strip at (x, y), clipped to the strip's width and
 *   height (a grid's last column and row overhang the image). Samples deeper than 8 bits keep their high
 *   bits. Chroma is upsampled by repetition (4:2:0 and 4:2:2), as libheif does without its bilinear option.
 * - Colour: YCbCr → RGB with the matrix and range the host gives (the item's nclx), else the stream's VUI
 *   (BT.601 when it names no matrix), as libheif does; matrix 0 is identity (GBR).
 * - An alpha image (HEIF's auxiliary alpha item) writes its luma into the A bytes only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libde265/de265.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static char last_error[200];

static int fail(const char* text) {
  snprintf(last_error, sizeof(last_error), "%s", text);
  return -1;
}

EXPORT(heic_error) const char* heic_error(void) { return last_error; }

/* What heic_decode reports about the picture: width, height, luma bit depth, chroma format (0 mono, 1 4:2:0,
 * 2 4:2:2, 3 4:4:4), and the VUI's matrix coefficients and full-range flag (-1 when the stream has none). */
enum { INFO_WIDTH, INFO_HEIGHT, INFO_BIT_DEPTH, INFO_CHROMA, INFO_MATRIX, INFO_FULL_RANGE, INFO_FIELDS };

static uint32_t read_be(const uint8_t* p, int n) {
  uint32_t v = 0;
  for (int i = 0; i < n; i++) v = (v << 8) | p[i];
  return v;
}

/* Pushes hvcC's NAL arrays (ISO/IEC 14496-15 §8.3.3.1: 22 bytes of header, then arrays). Returns the NAL
 * length size the item's data uses, or -1. */
static int push_config(de265_decoder_context* ctx, const uint8_t* c, uint32_t n) {
  if (n < 23) return fail("the hvcC box is too short");
  int length_size = (c[21] & 3) + 1;
  uint32_t at = 23;
  for (int arrays = c[22]; arrays > 0; arrays--) {
    if (at + 3 > n) return fail("the hvcC box is truncated");
    uint32_t count = read_be(c + at + 1, 2);
    at += 3;
    for (; count > 0; count--) {
      if (at + 2 > n) return fail("the hvcC box is truncated");
      uint32_t size = read_be(c + at, 2);
      at += 2;
      if (size > n - at) return fail("the hvcC box is truncated");
      if (!de265_isOK(de265_push_NAL(ctx, c + at, (int)size, 0, NULL))) return fail("libde265 refused a parameter set");
      at += size;
    }
  }
  return length_size;
}

static int push_data(de265_decoder_context* ctx, const uint8_t* d, uint32_t n, int length_size) {
  for (uint32_t at = 0; at < n;) {
    if ((uint32_t)length_size > n - at) return fail("the image data is truncated");
    uint32_t size = read_be(d + at, length_size);
    at += length_size;
    if (size > n - at) return fail("the image data is truncated");
    if (!de265_isOK(de265_push_NAL(ctx, d + at, (int)size, 0, NULL))) return fail("libde265 refused a NAL unit");
    at += size;
  }
  return 0;
}

/* Fixed-point (16.16) YCbCr → RGB for Kr, Kb of the matrix; `limited` rescales studio-range samples. */
typedef struct {
  int32_t y_scale, y_offset, cr_r, cb_g, cr_g, cb_b, identity;
} Matrix;

static Matrix matrix_for(int coefficients, int full_range) {
  double kr = 0.299, kb = 0.114; /* BT.601 (5, 6) and anything unknown, libheif's default */
  if (coefficients == 1) kr = 0.2126, kb = 0.0722;                   /* BT.709 */
  else if (coefficients == 9 || coefficients == 10) kr = 0.2627, kb = 0.0593; /* BT.2020 */
  else if (coefficients == 4) kr = 0.30, kb = 0.11;                  /* FCC */
  else if (coefficients == 7) kr = 0.212, kb = 0.087;                /* SMPTE 240M */
  double kg = 1 - kr - kb;
  double ys = full_range ? 1.0 : 255.0 / 219.0, cs = full_range ? 1.0 : 255.0 / 224.0;
  Matrix m;
  m.identity = coefficients == 0;
  m.y_scale = (int32_t)(ys * 65536 + 0.5);
  m.y_offset = full_range ? 0 : 16;
  m.cr_r = (int32_t)(2 * (1 - kr) * cs * 65536 + 0.5);
  m.cb_b = (int32_t)(2 * (1 - kb) * cs * 65536 + 0.5);
  m.cb_g = (int32_t)(2 * (1 - kb) * kb / kg * cs * 65536 + 0.5);
  m.cr_g = (int32_t)(2 * (1 - kr) * kr / kg * cs * 65536 + 0.5);
  return m;
}

static inline uint8_t clamp8(int32_t v) { return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v; }

/* One row of 8-bit samples from a plane of `depth` bits (stored in 16-bit words above 8). */
static inline int sample(const uint8_t* row, int x, int depth) {
  return depth <= 8 ? row[x] : ((const uint16_t*)row)[x] >> (depth - 8);
}

static void write_rgba(const struct de265_image* img, uint8_t* out, int stride, int w, int h, Matrix m) {
  enum de265_chroma chroma = de265_get_chroma_format(img);
  int ys, cbs = 0, crs = 0;
  const uint8_t* yp = de265_get_image_plane(img, 0, &ys);
  const uint8_t* cbp = chroma == de265_chroma_mono ? NULL : de265_get_image_plane(img, 1, &cbs);
  const uint8_t* crp = chroma == de265_chroma_mono ? NULL : de265_get_image_plane(img, 2, &crs);
  int yd = de265_get_bits_per_pixel(img, 0), cd = cbp ? de265_get_bits_per_pixel(img, 1) : 8;
  int sx = chroma == de265_chroma_420 || chroma == de265_chroma_422 ? 1 : 0;
  int sy = chroma == de265_chroma_420 ? 1 : 0;
  for (int row = 0; row < h; row++) {
    const uint8_t* yr = yp + row * ys;
    const uint8_t* cbr = cbp ? cbp + (row >> sy) * cbs : NULL;
    const uint8_t* crr = crp ? crp + (row >> sy) * crs : NULL;
    uint8_t* o = out + row * stride;
    for (int x = 0; x < w; x++, o += 4) {
      int y = sample(yr, x, yd);
      if (!cbr) {
        int32_t v = m.identity ? y : ((y - m.y_offset) * m.y_scale + 32768) >> 16;
        o[0] = o[1] = o[2] = clamp8(v);
      } else if (m.identity) {
        o[0] = (uint8_t)sample(crr, x, cd), o[1] = (uint8_t)y, o[2] = (uint8_t)sample(cbr, x, cd);
      } else {
        int32_t l = (y - m.y_offset) * m.y_scale + 32768;
        int cb = sample(cbr, x >> sx, cd) - 128, cr = sample(crr, x >> sx, cd) - 128;
        o[0] = clamp8((l + cr * m.cr_r) >> 16);
        o[1] = clamp8((l - cb * m.cb_g - cr * m.cr_g) >> 16);
        o[2] = clamp8((l + cb * m.cb_b) >> 16);
      }
      o[3] = 255;
    }
  }
}

static void write_alpha(const struct de265_image* img, uint8_t* out, int stride, int w, int h) {
  int ys;
  const uint8_t* yp = de265_get_image_plane(img, 0, &ys);
  int yd = de265_get_bits_per_pixel(img, 0);
  for (int row = 0; row < h; row++) {
    const uint8_t* yr = yp + row * ys;
    uint8_t* o = out + row * stride + 3;
    for (int x = 0; x < w; x++, o += 4) *o = (uint8_t)sample(yr, x, yd);
  }
}

/*
 * Decodes one HEVC image (hvcC payload `config`, item data `data`) into the RGBA strip `strip` (`strip_width`
 * × `strip_height` pixels) with its top-left corner at (x, y), clipped to the strip. `matrix` and
 * `full_range` are the item's nclx (-1: use the stream's VUI, else BT.601 full range); `alpha` writes only the
 * A bytes. Fills `info` (INFO_*) and returns 0, or -1 with heic_error() set.
 */
EXPORT(heic_decode)
int heic_decode(const uint8_t* config, uint32_t config_length, const uint8_t* data, uint32_t data_length,
                uint8_t* strip, int strip_width, int strip_height, int x, int y, int matrix, int full_range,
                int alpha, int32_t* info) {
  de265_decoder_context* ctx = de265_new_decoder();
  if (!ctx) return fail("out of memory");
  de265_set_parameter_bool(ctx, DE265_DECODER_PARAM_BOOL_SEI_CHECK_HASH, 0);
  de265_set_parameter_bool(ctx, DE265_DECODER_PARAM_SUPPRESS_FAULTY_PICTURES, 1);
  int result = -1;
  int length_size = push_config(ctx, config, config_length);
  if (length_size < 0 || push_data(ctx, data, data_length, length_size) < 0) goto done;
  if (!de265_isOK(de265_flush_data(ctx))) {
    fail("libde265 could not take the image data");
    goto done;
  }
  /* Decode until the picture is out: at the end of the stream libde265 keeps saying "more" while a picture
   * waits in its output queue. */
  int more = 1;
  while (more && !de265_peek_next_picture(ctx)) {
    de265_error err = de265_decode(ctx, &more);
    if (err == DE265_ERROR_WAITING_FOR_INPUT_DATA) break;
    if (!de265_isOK(err)) {
      snprintf(last_error, sizeof(last_error), "libde265: %s", de265_get_error_text(err));
      goto done;
    }
  }
  const struct de265_image* img = de265_get_next_picture(ctx);
  if (!img) {
    fail("the HEVC data holds no complete picture");
    goto done;
  }
  int w = de265_get_image_width(img, 0), h = de265_get_image_height(img, 0);
  info[INFO_WIDTH] = w;
  info[INFO_HEIGHT] = h;
  info[INFO_BIT_DEPTH] = de265_get_bits_per_pixel(img, 0);
  info[INFO_CHROMA] = de265_get_chroma_format(img);
  info[INFO_MATRIX] = de265_get_image_matrix_coefficients(img);
  info[INFO_FULL_RANGE] = de265_get_image_full_range_flag(img);
  if (info[INFO_BIT_DEPTH] > 16 || (info[INFO_CHROMA] != de265_chroma_mono && de265_get_bits_per_pixel(img, 1) > 16)) {
    fail("unsupported bit depth");
    goto done;
  }
  int cw = x < strip_width ? strip_width - x : 0, ch = y < strip_height ? strip_height - y : 0;
  if (w < cw) cw = w;
  if (h < ch) ch = h;
  uint8_t* at = strip + ((size_t)y * strip_width + x) * 4;
  if (alpha) {
    write_alpha(img, at, strip_width * 4, cw, ch);
  } else {
    if (matrix < 0) matrix = info[INFO_MATRIX] == 2 ? 6 : info[INFO_MATRIX]; /* 2: unspecified */
    if (full_range < 0) full_range = info[INFO_FULL_RANGE];
    write_rgba(img, at, strip_width * 4, cw, ch, matrix_for(matrix, full_range));
  }
  result = 0;
done:
  de265_free_decoder(ctx);
  return result;
}
