/*
 * edgepix PNG decoder: a thin wrapper over libspng (Debian's source) with zlib (Debian's), built as a
 * standalone WASM reactor. The host (src/codecs/libspng.ts) checks the header, decides whether the image may
 * be decoded, then reads its rows.
 *
 * - The file stays with the host: libspng reads it through png_input, an import that copies the bytes asked
 *   for (8 KB at most at a time) into the module. With the decoded rows coming out a strip at a time
 *   (png_decode_begin, png_decode_rows, png_decode_finish), the module holds libspng's state, zlib's window,
 *   two scanlines and one strip: never the file, never the image.
 * - libspng sees only the chunks that make the pixels: the signature, the critical chunks (IHDR, PLTE, IDAT,
 *   IEND, and any unknown critical chunk, which it refuses) and tRNS before the image data. Every other
 *   ancillary chunk (text, ICC profile, eXIf, APNG frames…) is stepped over here, its CRC checked but its
 *   content never parsed: the host reads the metadata it needs from the file itself, and nothing in a chunk
 *   that does not change a pixel can fail a decode or take memory. libspng checks the CRCs of the chunks it
 *   reads and zlib the Adler-32 of the image data; after the last row the rest of the file is read up to IEND,
 *   so a damaged chunk anywhere, or a file cut short, fails the decode.
 * - Every colour type and bit depth decodes to 8-bit RGBA: 16-bit samples keep their high byte, palette
 *   entries and tRNS give alpha, grey is copied to R, G and B. No gamma or sBIT is applied.
 * - An interlaced (Adam7) file cannot be streamed in row order: its rows come pass by pass, each holding only
 *   its pass's pixels, packed, and the host places them (png_decode_rows reports where).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spng.h"
#include "zlib.h"

#define EXPORT(name) __attribute__((export_name(#name)))

/* The host's file: copies `length` bytes from `offset` to `dest` and returns how many it copied (fewer past
 * the end of the file). */
__attribute__((import_module("env"), import_name("png_input"))) extern uint32_t png_input(uint8_t* dest,
                                                                                         uint32_t offset,
                                                                                         uint32_t length);

static char last_error[160];

static void fail_with(const char* text) {
  strncpy(last_error, text, sizeof(last_error) - 1);
  last_error[sizeof(last_error) - 1] = 0;
}

EXPORT(png_error) const char* png_error(void) { return last_error; }

/* Where libspng's reads are in the host's file, and what is left of the chunk they are passing on. */
typedef struct {
  uint32_t offset, length;
  uint32_t chunk_left; /* bytes of the current chunk (length, type, data, CRC) not yet read; 0 between chunks */
  uint8_t type[4];     /* the chunk being passed on (or the last one) */
  int image_data;      /* an IDAT chunk was passed on */
  int failed;          /* the reader found the error and wrote it to last_error */
} Input;

static void fail_chunk_crc(const uint8_t* type) {
  snprintf(last_error, sizeof(last_error), "the %.4s chunk is corrupt (CRC mismatch)", (const char*)type);
}

/* Words for what libspng refused; the host's file was cut short when the reader found no more chunks. */
static void fail_with_spng(const Input* in, int code) {
  if (in->failed) return;
  if (code == SPNG_IO_EOF) fail_with("the file is truncated (no IEND chunk)");
  else if (code == SPNG_ECHUNK_CRC) fail_chunk_crc(in->type);
  else snprintf(last_error, sizeof(last_error), "the data is corrupt or unsupported (libspng: %s)", spng_strerror(code));
}

#define SIGNATURE_BYTES 8

static int fetch(Input* in, uint8_t* dest, uint32_t length) {
  if (length > in->length - in->offset) return -1;
  if (png_input(dest, in->offset, length) != length) return -1;
  in->offset += length;
  return 0;
}

static uint32_t read_u32(const uint8_t* p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Critical chunks have an upper-case first letter (bit 5 clear); of the ancillary ones only tRNS changes pixels,
 * and only before the image data. */
static int passes_on(const Input* in, const uint8_t* type) {
  return !(type[0] & 0x20) || (!in->image_data && memcmp(type, "tRNS", 4) == 0);
}

/* Steps over the chunk of `size` data bytes at in->offset, whose header was read, checking its CRC. */
static int skip_chunk(Input* in, const uint8_t* header, uint32_t size) {
  static uint8_t piece[8192];
  uLong crc = crc32(0, header + 4, 4);
  in->offset += 8;
  for (uint32_t left = size; left > 0;) {
    uint32_t n = left < sizeof(piece) ? left : sizeof(piece);
    if (fetch(in, piece, n)) return SPNG_IO_EOF;
    crc = crc32(crc, piece, n);
    left -= n;
  }
  if (fetch(in, piece, 4)) return SPNG_IO_EOF;
  if (read_u32(piece) != crc) {
    fail_chunk_crc(header + 4);
    in->failed = 1;
    return SPNG_IO_ERROR;
  }
  return 0;
}

/* libspng's stream reader: the file as it is, minus the ancillary chunks libspng need not see. */
static int read_input(spng_ctx* ctx, void* user, void* dest, size_t length) {
  (void)ctx;
  Input* in = user;
  uint8_t* out = dest;
  while (length > 0) {
    uint32_t n;
    const int in_chunk = in->offset >= SIGNATURE_BYTES;
    if (!in_chunk) {
      n = SIGNATURE_BYTES - in->offset;
    } else {
      while (in->chunk_left == 0) {
        /* A chunk starts here: pass it on, or step over it. */
        uint8_t header[8];
        if (in->length - in->offset < sizeof(header)) return SPNG_IO_EOF;
        if (png_input(header, in->offset, sizeof(header)) != sizeof(header)) return SPNG_IO_EOF;
        uint32_t size = read_u32(header);
        /* Over PNG's limit for a chunk, or past the end of the file: cut short, as far as we can tell. */
        if (size > 0x7fffffff || size + 12u > in->length - in->offset) return SPNG_IO_EOF;
        if (passes_on(in, header + 4)) {
          in->chunk_left = size + 12u;
          memcpy(in->type, header + 4, 4);
          if (memcmp(in->type, "IDAT", 4) == 0) in->image_data = 1;
        } else {
          int ret = skip_chunk(in, header, size);
          if (ret) return ret;
        }
      }
      n = in->chunk_left;
    }
    if (n > length) n = (uint32_t)length;
    if (fetch(in, out, n)) return SPNG_IO_EOF;
    if (in_chunk) in->chunk_left -= n;
    out += n;
    length -= n;
  }
  return 0;
}

/* Adam7: where each pass's pixels lie (columns x_start + k * x_step of rows y_start + i * y_step). */
static const uint8_t ADAM7_X_START[7] = {0, 4, 0, 2, 0, 1, 0};
static const uint8_t ADAM7_X_STEP[7] = {8, 8, 4, 4, 2, 2, 1};
static const uint8_t ADAM7_Y_STEP[7] = {8, 8, 8, 4, 4, 2, 2};

/* Output rows per png_decode_rows: a strip of about this many bytes (at least one row). */
#define STRIP_BYTES (256 * 1024)

/* A decode in progress: libspng's context, the input it reads, and the strip the rows are written to. */
typedef struct {
  spng_ctx* ctx;
  Input in;
  uint8_t* strip;
  uint32_t strip_bytes, width, height, interlaced;
} Decode;

static void decode_release(Decode* d) {
  spng_ctx_free(d->ctx);
  free(d->strip);
  free(d);
}

enum { DECODE_WIDTH, DECODE_HEIGHT, DECODE_INTERLACED, DECODE_STRIP, DECODE_COUNT };

/*
 * Starts decoding the host's file (`length` bytes) to RGBA. Fills info[DECODE_COUNT] (size, whether rows come
 * pass by pass, the strip png_decode_rows writes to) and returns the decode, to be read with png_decode_rows
 * until every row is out and closed with png_decode_finish (or png_decode_abort). NULL on error, with the
 * reason in png_error().
 */
EXPORT(png_decode_begin) Decode* png_decode_begin(uint32_t length, int32_t* info) {
  last_error[0] = 0;
  Decode* d = calloc(1, sizeof(Decode));
  if (!d || !(d->ctx = spng_ctx_new(0))) {
    free(d);
    fail_with("out of memory");
    return NULL;
  }
  d->in.length = length;
  struct spng_ihdr ihdr;
  int ret = spng_set_png_stream(d->ctx, read_input, &d->in);
  if (!ret) ret = spng_set_crc_action(d->ctx, SPNG_CRC_ERROR, SPNG_CRC_ERROR);
  if (!ret) ret = spng_get_ihdr(d->ctx, &ihdr);
  if (!ret) ret = spng_decode_image(d->ctx, NULL, 0, SPNG_FMT_RGBA8, SPNG_DECODE_TRNS | SPNG_DECODE_PROGRESSIVE);
  if (ret) {
    fail_with_spng(&d->in, ret);
    decode_release(d);
    return NULL;
  }
  d->width = ihdr.width;
  d->height = ihdr.height;
  d->interlaced = ihdr.interlace_method != 0;
  if ((uint64_t)d->width * 4 > 0x7fffffff) {
    fail_with("a decoded row would exceed 2 GB");
    decode_release(d);
    return NULL;
  }
  d->strip_bytes = d->width * 4 > STRIP_BYTES ? d->width * 4 : STRIP_BYTES;
  if (!(d->strip = malloc(d->strip_bytes))) {
    fail_with("out of memory for the decoded rows");
    decode_release(d);
    return NULL;
  }
  info[DECODE_WIDTH] = (int32_t)d->width;
  info[DECODE_HEIGHT] = (int32_t)d->height;
  info[DECODE_INTERLACED] = (int32_t)d->interlaced;
  info[DECODE_STRIP] = (int32_t)(uintptr_t)d->strip;
  return d;
}

enum { ROWS_Y, ROWS_Y_STEP, ROWS_X, ROWS_X_STEP, ROWS_WIDTH, ROWS_COUNT };

/*
 * Decodes the next rows into the strip, from its start, and returns how many (at least one). They are
 * image rows y, y + y_step, … each holding `width` pixels for columns x, x + x_step, …, all written to
 * where[ROWS_COUNT]: for a file that is not interlaced, consecutive whole rows; for an Adam7 file, rows of one
 * pass. 0 once every row was read. -1 on error, with the reason in png_error(); the decode is then released
 * and must not be used again.
 */
EXPORT(png_decode_rows) int png_decode_rows(Decode* d, int32_t* where) {
  struct spng_row_info row;
  int ret = spng_get_row_info(d->ctx, &row);
  if (ret == SPNG_EOI) return 0;
  if (ret) {
    fail_with_spng(&d->in, ret);
    decode_release(d);
    return -1;
  }
  const int pass = row.pass;
  uint32_t x = 0, x_step = 1, y_step = 1, width = d->width;
  if (d->interlaced) {
    x = ADAM7_X_START[pass];
    x_step = ADAM7_X_STEP[pass];
    y_step = ADAM7_Y_STEP[pass];
    width = (d->width - x + x_step - 1) / x_step; /* libspng skips the passes that are empty */
  }
  const uint32_t stride = width * 4, capacity = d->strip_bytes / stride;
  where[ROWS_Y] = (int32_t)row.row_num;
  where[ROWS_Y_STEP] = (int32_t)y_step;
  where[ROWS_X] = (int32_t)x;
  where[ROWS_X_STEP] = (int32_t)x_step;
  where[ROWS_WIDTH] = (int32_t)width;
  uint32_t rows = 0;
  while (rows < capacity) {
    ret = spng_decode_scanline(d->ctx, d->strip + (size_t)rows * stride, stride);
    if (ret && ret != SPNG_EOI) {
      fail_with_spng(&d->in, ret);
      decode_release(d);
      return -1;
    }
    rows++;
    /* The last row, or the last of its pass. */
    if (ret == SPNG_EOI || spng_get_row_info(d->ctx, &row) || row.pass != pass) break;
  }
  return (int)rows;
}

/*
 * After the last row: reads the rest of the file up to IEND (the last image data's CRC, the chunks after it)
 * and releases the decode. 0, or -1 with the reason in png_error().
 */
EXPORT(png_decode_finish) int png_decode_finish(Decode* d) {
  struct spng_row_info row;
  int ret, ok = 0;
  if (spng_get_row_info(d->ctx, &row) != SPNG_EOI) fail_with("the decode was finished before its last row");
  else if ((ret = spng_decode_chunks(d->ctx))) fail_with_spng(&d->in, ret);
  else ok = 1;
  decode_release(d);
  return ok ? 0 : -1;
}

/* Releases a decode the host gives up on. */
EXPORT(png_decode_abort) void png_decode_abort(Decode* d) { decode_release(d); }
