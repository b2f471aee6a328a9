/*
 * edgepix PNG encoder: libspng's progressive encode (SPNG_ENCODE_PROGRESSIVE, a row at a time) over zlib's
 * deflate, in the same module as the decoder (png.c) but sharing nothing with it.
 *
 * - The host writes rows into a strip of the module and calls png_encode_rows; RGBA rows of an opaque image
 *   are packed to RGB here (colour type 2), palette images come as one index byte per pixel (colour type 3).
 * - The encoded file leaves the module as it is made: libspng's writes append to an output buffer that the
 *   host empties after every call (png_encode_take), so the module never holds the image or the whole file.
 * - iCCP and eXIf are written before the image data when the host gives them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spng.h"

#define EXPORT(name) __attribute__((export_name(#name)))

static char encode_error[160];

EXPORT(png_encode_error) const char* png_encode_error(void) { return encode_error; }

static void fail_spng(const char* step, int code) {
  snprintf(encode_error, sizeof(encode_error), "%s failed (libspng: %s)", step, spng_strerror(code));
}

/* Output rows per strip: about this many bytes of RGBA (at least one row). */
#define STRIP_BYTES (256 * 1024)

typedef struct {
  spng_ctx* ctx;
  uint8_t* strip;
  uint32_t strip_rows, width, height, rows_done;
  int colour_type;
  uint8_t* out;
  uint32_t out_len, out_cap;
  int out_failed;
} Encode;

/* libspng's writer: appends to the output buffer, which the host empties after every call. */
static int write_output(spng_ctx* ctx, void* user, void* src, size_t length) {
  (void)ctx;
  Encode* e = user;
  if (length > UINT32_MAX - e->out_len) return SPNG_IO_ERROR;
  uint32_t need = e->out_len + (uint32_t)length;
  if (need > e->out_cap) {
    uint32_t cap = e->out_cap ? e->out_cap : 64 * 1024;
    while (cap < need) cap *= 2;
    uint8_t* grown = realloc(e->out, cap);
    if (!grown) {
      e->out_failed = 1;
      return SPNG_IO_ERROR;
    }
    e->out = grown;
    e->out_cap = cap;
  }
  memcpy(e->out + e->out_len, src, length);
  e->out_len = need;
  return 0;
}

static void encode_release(Encode* e) {
  spng_ctx_free(e->ctx);
  free(e->strip);
  free(e->out);
  free(e);
}

enum { ENC_STRIP, ENC_STRIP_ROWS, ENC_COUNT };

/* What png_encode_begin is given besides the size, in one int32 array. */
enum {
  OPT_COLOUR_TYPE,  /* 2 RGB (rows come as RGBA and are packed), 6 RGBA, 3 palette (rows of indices) */
  OPT_LEVEL,        /* zlib level 0-9 */
  OPT_STRATEGY,     /* zlib strategy (Z_DEFAULT_STRATEGY 0, Z_FILTERED 1, Z_RLE 3…) */
  OPT_FILTERS,      /* libspng's SPNG_FILTER_CHOICE flags */
  OPT_PALETTE,      /* palette: RGBA entries, 4 bytes each */
  OPT_PALETTE_SIZE, /* entries, 1-256 */
  OPT_ICC,
  OPT_ICC_LENGTH,
  OPT_EXIF, /* TIFF block ("II*\0" or "MM\0*") */
  OPT_EXIF_LENGTH,
  OPT_COUNT
};

/*
 * Starts a PNG of width × height. Fills info[ENC_COUNT] (the strip rows are written to, its rows) and returns
 * the encode: rows go in with png_encode_rows, the file comes out with png_encode_take; png_encode_abort
 * releases it early. NULL on error, with the reason in png_encode_error().
 */
EXPORT(png_encode_begin) Encode* png_encode_begin(uint32_t width, uint32_t height, const int32_t* opt, int32_t* info) {
  encode_error[0] = 0;
  Encode* e = calloc(1, sizeof(Encode));
  if (!e || !(e->ctx = spng_ctx_new(SPNG_CTX_ENCODER))) {
    free(e);
    snprintf(encode_error, sizeof(encode_error), "out of memory");
    return NULL;
  }
  e->width = width;
  e->height = height;
  e->colour_type = opt[OPT_COLOUR_TYPE];
  const int palette = e->colour_type == SPNG_COLOR_TYPE_INDEXED;
  /* Rows arrive as RGBA (4 bytes) or indices (1 byte). */
  uint32_t stride = palette ? width : width * 4;
  if (width == 0 || height == 0 || (uint64_t)width * 4 > 0x7fffffff) {
    snprintf(encode_error, sizeof(encode_error), "cannot encode a %ux%u image", width, height);
    encode_release(e);
    return NULL;
  }
  e->strip_rows = STRIP_BYTES / stride;
  if (e->strip_rows < 1) e->strip_rows = 1;
  if (e->strip_rows > height) e->strip_rows = height;
  if (!(e->strip = malloc((size_t)stride * e->strip_rows))) {
    snprintf(encode_error, sizeof(encode_error), "out of memory for the rows");
    encode_release(e);
    return NULL;
  }
  struct spng_ihdr ihdr = {.width = width, .height = height, .bit_depth = 8, .color_type = (uint8_t)e->colour_type};
  int ret = spng_set_png_stream(e->ctx, write_output, e);
  if (!ret) ret = spng_set_ihdr(e->ctx, &ihdr);
  if (!ret && palette) {
    struct spng_plte plte = {0};
    struct spng_trns trns = {0};
    const uint8_t* entries = (const uint8_t*)(uintptr_t)opt[OPT_PALETTE];
    int translucent = 0;
    plte.n_entries = (uint32_t)opt[OPT_PALETTE_SIZE];
    for (uint32_t i = 0; i < plte.n_entries; i++) {
      plte.entries[i].red = entries[4 * i];
      plte.entries[i].green = entries[4 * i + 1];
      plte.entries[i].blue = entries[4 * i + 2];
      trns.type3_alpha[i] = entries[4 * i + 3];
      if (entries[4 * i + 3] != 255) translucent = (int)i + 1;
    }
    ret = spng_set_plte(e->ctx, &plte);
    /* tRNS up to the last translucent entry (the host puts them first). */
    trns.n_type3_entries = (uint32_t)translucent;
    if (!ret && translucent) ret = spng_set_trns(e->ctx, &trns);
  }
  if (!ret && opt[OPT_ICC_LENGTH] > 0) {
    struct spng_iccp iccp = {.profile_len = (size_t)opt[OPT_ICC_LENGTH], .profile = (char*)(uintptr_t)opt[OPT_ICC]};
    strcpy(iccp.profile_name, "ICC Profile");
    ret = spng_set_iccp(e->ctx, &iccp);
  }
  if (!ret && opt[OPT_EXIF_LENGTH] > 0) {
    struct spng_exif exif = {.length = (size_t)opt[OPT_EXIF_LENGTH], .data = (char*)(uintptr_t)opt[OPT_EXIF]};
    ret = spng_set_exif(e->ctx, &exif);
  }
  if (!ret) ret = spng_set_option(e->ctx, SPNG_IMG_COMPRESSION_LEVEL, opt[OPT_LEVEL]);
  if (!ret) ret = spng_set_option(e->ctx, SPNG_IMG_COMPRESSION_STRATEGY, opt[OPT_STRATEGY]);
  if (!ret) ret = spng_set_option(e->ctx, SPNG_FILTER_CHOICE, opt[OPT_FILTERS]);
  if (!ret) ret = spng_encode_image(e->ctx, NULL, 0, SPNG_FMT_PNG, SPNG_ENCODE_PROGRESSIVE | SPNG_ENCODE_FINALIZE);
  if (ret) {
    fail_spng("starting the PNG", ret);
    encode_release(e);
    return NULL;
  }
  info[ENC_STRIP] = (int32_t)(uintptr_t)e->strip;
  info[ENC_STRIP_ROWS] = (int32_t)e->strip_rows;
  return e;
}

/* RGBA → RGB, in place. */
static void pack_rgb(uint8_t* row, uint32_t width) {
  uint8_t* out = row;
  for (uint32_t x = 0; x < width; x++, row += 4, out += 3) {
    out[0] = row[0];
    out[1] = row[1];
    out[2] = row[2];
  }
}

/*
 * Encodes the first `count` rows of the strip (at most strip_rows). 0, or -1 with the reason in
 * png_encode_error(); the encode is then released and must not be used again. After the image's last row
 * the file is complete (IEND written) and only png_encode_take remains.
 */
EXPORT(png_encode_rows) int png_encode_rows(Encode* e, uint32_t count) {
  const int palette = e->colour_type == SPNG_COLOR_TYPE_INDEXED;
  const uint32_t stride = palette ? e->width : e->width * 4;
  const uint32_t bytes = e->colour_type == SPNG_COLOR_TYPE_TRUECOLOR ? e->width * 3 : stride;
  if (count > e->strip_rows || count > e->height - e->rows_done) {
    snprintf(encode_error, sizeof(encode_error), "more rows than the image has");
    encode_release(e);
    return -1;
  }
  for (uint32_t i = 0; i < count; i++) {
    uint8_t* row = e->strip + (size_t)i * stride;
    if (e->colour_type == SPNG_COLOR_TYPE_TRUECOLOR) pack_rgb(row, e->width);
    int ret = spng_encode_row(e->ctx, row, bytes);
    e->rows_done++;
    /* SPNG_EOI: that was the last row, and the file is finished. */
    if (ret && !(ret == SPNG_EOI && e->rows_done == e->height)) {
      if (e->out_failed) snprintf(encode_error, sizeof(encode_error), "out of memory for the output");
      else fail_spng("encoding a row", ret);
      encode_release(e);
      return -1;
    }
  }
  return 0;
}

enum { TAKE_DATA, TAKE_LENGTH, TAKE_COUNT };

/*
 * The output made since the last take: where[TAKE_DATA], where[TAKE_LENGTH] bytes, valid until the next call
 * into the encode, for the host to copy out. Returns 1 once the file is complete (then png_encode_end).
 */
EXPORT(png_encode_take) int png_encode_take(Encode* e, int32_t* where) {
  where[TAKE_DATA] = (int32_t)(uintptr_t)e->out;
  where[TAKE_LENGTH] = (int32_t)e->out_len;
  e->out_len = 0;
  return e->rows_done == e->height;
}

/* Releases an encode (after its last piece was taken, or to give up). */
EXPORT(png_encode_end) void png_encode_end(Encode* e) { encode_release(e); }
