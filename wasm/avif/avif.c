// edgepix's AVIF pixel module: dav1d decodes one AV1 image item (a whole image, or one tile of a grid) into its
// YUV planes, and avif_rows converts a strip of those rows to RGBA for the host, so no RGBA image is ever held.
// The container (items, grid, alpha, colour boxes) is read by the host (src/codecs/avif/), which hands each
// item's bytes in and says how to convert; this file knows only AV1 and YUV.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dav1d/dav1d.h"

#define EXPORT(name) __attribute__((export_name(#name)))

static const char *last_error = "";

EXPORT(av1_error) const char *av1_error(void) { return last_error; }

// One decoder per image: single-threaded, no frame delay (a still image is one frame), film grain not applied
// (applying it makes dav1d allocate a second picture; stills with grain are rare). `max_pixels` bounds a
// frame's size (the host's budget), which dav1d checks against each frame header before allocating.
EXPORT(av1_open) Dav1dContext *av1_open(unsigned max_pixels) {
  Dav1dSettings s;
  dav1d_default_settings(&s);
  s.n_threads = 1;
  s.max_frame_delay = 1;
  s.apply_grain = 0;
  s.all_layers = 0;
  s.frame_size_limit = max_pixels;
  Dav1dContext *c = NULL;
  if (dav1d_open(&c, &s) < 0) {
    last_error = "out of memory opening the AV1 decoder";
    return NULL;
  }
  return c;
}

EXPORT(av1_close) void av1_close(Dav1dContext *c) { dav1d_close(&c); }

static void free_item(const uint8_t *buf, void *cookie) {
  (void)cookie;
  free((void *)buf);
}

// Decodes the AV1 data at `buf` (malloc'd by the host; dav1d frees it when done with it) into a new picture
// whose layout is written to `info`: width, height, layout (0 I400, 1 I420, 2 I422, 3 I444), bits per
// sample, and the sequence header's colour range, matrix, primaries and transfer. NULL on error (av1_error).
EXPORT(av1_decode) Dav1dPicture *av1_decode(Dav1dContext *c, uint8_t *buf, size_t len, int32_t *info) {
  Dav1dData data;
  if (dav1d_data_wrap(&data, buf, len, free_item, NULL) < 0) {
    free(buf);
    last_error = "bad AV1 item";
    return NULL;
  }
  Dav1dPicture *pic = calloc(1, sizeof *pic);
  if (!pic) {
    dav1d_data_unref(&data);
    last_error = "out of memory";
    return NULL;
  }
  dav1d_flush(c); // a grid decodes its tiles one after another with one context
  int got = 0, res = 0;
  while (!got) {
    if (data.sz > 0) {
      res = dav1d_send_data(c, &data);
      if (res < 0 && res != DAV1D_ERR(EAGAIN)) break;
    }
    res = dav1d_get_picture(c, pic);
    if (res == 0) got = 1;
    else if (res != DAV1D_ERR(EAGAIN) || data.sz == 0) break;
  }
  if (data.sz > 0) dav1d_data_unref(&data);
  if (!got) {
    free(pic);
    last_error = res == DAV1D_ERR(ENOMEM) ? "out of memory decoding AV1 (or a frame over the size limit)"
                 : res == DAV1D_ERR(EAGAIN) ? "AV1 item holds no complete frame (truncated?)"
                                           : "invalid AV1 data";
    return NULL;
  }
  info[0] = pic->p.w;
  info[1] = pic->p.h;
  info[2] = pic->p.layout;
  info[3] = pic->p.bpc;
  info[4] = pic->seq_hdr->color_range;
  info[5] = pic->seq_hdr->mtrx;
  info[6] = pic->seq_hdr->pri;
  info[7] = pic->seq_hdr->trc;
  return pic;
}

EXPORT(av1_release) void av1_release(Dav1dPicture *pic) {
  if (!pic) return;
  dav1d_picture_unref(pic);
  free(pic);
}

// How avif_rows turns samples into RGB (the host picks it from the nclx matrix coefficients).
enum { MATRIX_YUV = 0, MATRIX_IDENTITY = 1, MATRIX_YCGCO = 2 };
// flags
enum { COLOUR_FULL_RANGE = 1, ALPHA_FULL_RANGE = 2, ALPHA_PREMULTIPLIED = 4 };

// Sample scaling: value * scale + offset maps a stored sample to 0..1 (luma) or -0.5..0.5 (chroma).
typedef struct {
  float y_scale, y_offset, c_scale, c_offset;
} Scale;

static Scale scale_for(int bpc, int full) {
  float max = (float)((1 << bpc) - 1);
  float unit = (float)(1 << (bpc - 8));
  Scale s;
  if (full) {
    s.y_scale = s.c_scale = 1.0f / max;
    s.y_offset = 0.0f;
    s.c_offset = -(float)(1 << (bpc - 1)) / max;
  } else {
    s.y_scale = 1.0f / (219.0f * unit);
    s.y_offset = -16.0f * unit * s.y_scale;
    s.c_scale = 1.0f / (224.0f * unit);
    s.c_offset = -128.0f * unit * s.c_scale;
  }
  return s;
}

// Row `y` of plane `p` as floats (sample * scale + offset), `n` samples from column `x0`.
static void load_row(const Dav1dPicture *pic, int p, int y, int x0, int n, float scale, float offset, float *out) {
  const uint8_t *row = (const uint8_t *)pic->data[p] + (ptrdiff_t)y * pic->stride[p ? 1 : 0];
  if (pic->p.bpc == 8) {
    for (int i = 0; i < n; i++) out[i] = row[x0 + i] * scale + offset;
  } else {
    const uint16_t *r16 = (const uint16_t *)row;
    for (int i = 0; i < n; i++) out[i] = r16[x0 + i] * scale + offset;
  }
}

// Chroma for luma row `y`, columns [x, x + width), upsampled by the "fancy" 3:1 bilinear filter (chroma sited
// between luma samples, as libavif's and libjpeg's upsamplers assume): `tmp` holds two chroma rows.
static void chroma_row(const Dav1dPicture *pic, int p, int y, int x, int width, Scale s, float *tmp, float *out) {
  int ssx = pic->p.layout == DAV1D_PIXEL_LAYOUT_I420 || pic->p.layout == DAV1D_PIXEL_LAYOUT_I422;
  int ssy = pic->p.layout == DAV1D_PIXEL_LAYOUT_I420;
  int cw = (pic->p.w + ssx) >> ssx, ch = (pic->p.h + ssy) >> ssy;
  // The chroma columns this span needs, one either side.
  int c0 = ssx ? (x >> 1) - 1 : x, c1 = ssx ? ((x + width - 1) >> 1) + 1 : x + width - 1;
  if (c0 < 0) c0 = 0;
  if (c1 > cw - 1) c1 = cw - 1;
  int n = c1 - c0 + 1;
  float *a = tmp, *b = tmp + n;
  if (ssy) {
    int cy = y >> 1, near = cy, far = (y & 1) ? cy + 1 : cy - 1;
    if (far < 0) far = 0;
    if (far > ch - 1) far = ch - 1;
    load_row(pic, p, near, c0, n, s.c_scale, s.c_offset, a);
    load_row(pic, p, far, c0, n, s.c_scale, s.c_offset, b);
    for (int i = 0; i < n; i++) a[i] = 0.75f * a[i] + 0.25f * b[i];
  } else {
    load_row(pic, p, y, c0, n, s.c_scale, s.c_offset, a);
  }
  if (!ssx) {
    memcpy(out, a + (x - c0), width * sizeof(float));
    return;
  }
  for (int i = 0; i < width; i++) {
    int lx = x + i, cx = lx >> 1, far = (lx & 1) ? cx + 1 : cx - 1;
    if (far < 0) far = 0;
    if (far > cw - 1) far = cw - 1;
    out[i] = 0.75f * a[cx - c0] + 0.25f * a[far - c0];
  }
}

static inline uint8_t to_byte(float v) {
  v = v * 255.0f + 0.5f;
  return v <= 0.0f ? 0 : v >= 255.0f ? 255 : (uint8_t)v;
}

// Rows [y, y + rows) of `color` (and `alpha`, or NULL for opaque), columns [x, x + width), as RGBA at `out`,
// rows `out_stride` bytes apart. `kr`/`kb` are the matrix's luma weights (MATRIX_YUV); 10- and 12-bit samples
// are rounded to 8 bits. Returns 0, or -1 when the request falls outside the pictures or memory ran out.
EXPORT(avif_rows)
int avif_rows(const Dav1dPicture *color, const Dav1dPicture *alpha, int y, int rows, int x, int width, uint8_t *out,
              int out_stride, int matrix, float kr, float kb, int flags) {
  if (y < 0 || x < 0 || rows <= 0 || width <= 0 || y + rows > color->p.h || x + width > color->p.w ||
      (alpha && (y + rows > alpha->p.h || x + width > alpha->p.w))) {
    last_error = "strip outside the picture";
    return -1;
  }
  float *buf = malloc(sizeof(float) * (size_t)width * 8 + 64 * sizeof(float));
  if (!buf) {
    last_error = "out of memory";
    return -1;
  }
  float *luma = buf, *u = buf + width, *v = buf + 2 * width, *al = buf + 3 * width, *tmp = buf + 4 * width;
  int mono = color->p.layout == DAV1D_PIXEL_LAYOUT_I400;
  Scale s = scale_for(color->p.bpc, flags & COLOUR_FULL_RANGE);
  // Identity and YCgCo store R/G/B-like values in every plane: chroma planes take luma's scaling.
  Scale cs = s;
  if (matrix == MATRIX_IDENTITY) cs.c_scale = s.y_scale, cs.c_offset = s.y_offset;
  Scale as = alpha ? scale_for(alpha->p.bpc, flags & ALPHA_FULL_RANGE) : s;
  float kg = 1.0f - kr - kb;
  float cr_r = 2.0f * (1.0f - kr), cb_b = 2.0f * (1.0f - kb);
  float cr_g = 2.0f * kr * (1.0f - kr) / kg, cb_g = 2.0f * kb * (1.0f - kb) / kg;
  for (int r = 0; r < rows; r++) {
    int yy = y + r;
    uint8_t *o = out + (ptrdiff_t)r * out_stride;
    load_row(color, 0, yy, x, width, s.y_scale, s.y_offset, luma);
    if (!mono) {
      chroma_row(color, 1, yy, x, width, cs, tmp, u);
      chroma_row(color, 2, yy, x, width, cs, tmp, v);
    }
    if (alpha) load_row(alpha, 0, yy, x, width, as.y_scale, as.y_offset, al);
    for (int i = 0; i < width; i++) {
      float R, G, B, Y = luma[i];
      if (mono) {
        R = G = B = Y;
      } else if (matrix == MATRIX_IDENTITY) {
        G = Y, B = u[i], R = v[i];
      } else if (matrix == MATRIX_YCGCO) {
        float t = Y - u[i];
        G = Y + u[i], B = t - v[i], R = t + v[i];
      } else {
        R = Y + cr_r * v[i];
        B = Y + cb_b * u[i];
        G = Y - cr_g * v[i] - cb_g * u[i];
      }
      float A = 1.0f;
      if (alpha) {
        A = al[i] < 0.0f ? 0.0f : al[i] > 1.0f ? 1.0f : al[i];
        if ((flags & ALPHA_PREMULTIPLIED) && A > 0.0f) R /= A, G /= A, B /= A;
      }
      o[4 * i] = to_byte(R);
      o[4 * i + 1] = to_byte(G);
      o[4 * i + 2] = to_byte(B);
      o[4 * i + 3] = to_byte(A);
    }
  }
  free(buf);
  return 0;
}
