/*
 * edgepix JPEG encoder: libjpeg-turbo's compressor, in the same module as the decoder (jpeg.c) but sharing
 * nothing with it, so the two can change apart.
 *
 * - Rows go in a strip at a time (jpeg_encode_begin, jpeg_encode_rows, jpeg_write_scanlines underneath): the
 *   host writes RGBA rows into the module's strip, translucent ones are composited over white here.
 * - The file comes out as it is made: libjpeg writes into an output buffer that the host empties after every
 *   call (jpeg_encode_take). A baseline file with standard Huffman tables therefore needs only the strip,
 *   libjpeg's state and what one strip compresses to. optimize_coding and progressive files make libjpeg keep
 *   every DCT coefficient of the image until the end (128 bytes per 8×8 block and component): the host decides
 *   when that fits (src/codecs/turbo-jpeg-encoder.ts) and caps libjpeg's memory to it.
 * - ICC profile (APP2 ICC_PROFILE, chunked by libjpeg) and Exif (APP1) are written when the host gives them.
 * - Errors longjmp back to the exported function (-sSUPPORT_LONGJMP=wasm), which releases the encode.
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jpeglib.h"
#include "jerror.h"

#define EXPORT(name) __attribute__((export_name(#name)))

static char encode_error[JMSG_LENGTH_MAX + 32];

EXPORT(jpeg_encode_error) const char* jpeg_encode_error(void) { return encode_error; }

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf escape;
} EncodeErrors;

static void encode_error_exit(j_common_ptr cinfo) {
  EncodeErrors* err = (EncodeErrors*)cinfo->err;
  if (err->pub.msg_code == JERR_NO_BACKING_STORE) {
    snprintf(encode_error, sizeof(encode_error), "the image needs more memory to encode than its budget allows");
  } else {
    (*err->pub.format_message)(cinfo, encode_error);
  }
  longjmp(err->escape, 1);
}

static void encode_output_message(j_common_ptr cinfo) { (void)cinfo; }

/* The output: a buffer that grows when libjpeg fills it and that the host empties after every call. */
typedef struct {
  struct jpeg_destination_mgr pub;
  uint8_t* data;
  uint32_t capacity;
} Output;

#define OUTPUT_START (64 * 1024)

static void output_init(j_compress_ptr cinfo) { (void)cinfo; }

/* libjpeg filled the whole buffer: double it and go on after what is there. */
static boolean output_full(j_compress_ptr cinfo) {
  Output* out = (Output*)cinfo->dest;
  uint32_t used = out->capacity;
  uint8_t* grown = realloc(out->data, (size_t)used * 2);
  if (!grown) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 10);
  out->data = grown;
  out->capacity = used * 2;
  out->pub.next_output_byte = grown + used;
  out->pub.free_in_buffer = used;
  return TRUE;
}

static void output_term(j_compress_ptr cinfo) { (void)cinfo; }

/* Output rows per strip: about this many bytes of RGBA (at least one row). */
#define STRIP_BYTES (256 * 1024)

typedef struct {
  struct jpeg_compress_struct cinfo;
  EncodeErrors err;
  Output out;
  uint8_t* strip;
  uint32_t strip_rows, width, height;
  int alpha, finished;
} Encode;

static void encode_release(Encode* e) {
  jpeg_destroy_compress(&e->cinfo);
  free(e->out.data);
  free(e->strip);
  free(e);
}

/* What jpeg_encode_begin is given besides the size, in one int32 array. */
enum {
  OPT_QUALITY,     /* 1-100, libjpeg's scale */
  OPT_PROGRESSIVE, /* libjpeg's standard progression */
  OPT_OPTIMIZE,    /* optimal Huffman tables (needs the whole-image coefficient buffer) */
  OPT_ALPHA,       /* rows may be translucent: composite them over white */
  OPT_MAX_MEMORY,  /* cap on libjpeg's own allocations, 0 = none */
  OPT_ICC,
  OPT_ICC_LENGTH,
  OPT_EXIF, /* APP1 payload, "Exif\0\0" and the TIFF block */
  OPT_EXIF_LENGTH,
  OPT_COUNT
};

enum { ENC_STRIP, ENC_STRIP_ROWS, ENC_COUNT };

/*
 * Starts a JPEG of width × height: YCbCr 4:2:0, libjpeg's accurate integer DCT and standard quantization tables
 * scaled by the quality (what libjpeg-turbo's cjpeg and libvips write). Fills info[ENC_COUNT] and returns the
 * encode: rows go in with jpeg_encode_rows, the file comes out with jpeg_encode_take, jpeg_encode_end releases
 * it. NULL on error, with the reason in jpeg_encode_error().
 */
EXPORT(jpeg_encode_begin) Encode* jpeg_encode_begin(uint32_t width, uint32_t height, const int32_t* opt, int32_t* info) {
  encode_error[0] = 0;
  Encode* e = calloc(1, sizeof(Encode));
  if (!e) {
    snprintf(encode_error, sizeof(encode_error), "out of memory");
    return NULL;
  }
  e->cinfo.err = jpeg_std_error(&e->err.pub);
  e->err.pub.error_exit = encode_error_exit;
  e->err.pub.output_message = encode_output_message;
  if (setjmp(e->err.escape)) {
    encode_release(e);
    return NULL;
  }
  jpeg_create_compress(&e->cinfo);
  j_compress_ptr c = &e->cinfo;
  c->mem->max_memory_to_use = (uint32_t)opt[OPT_MAX_MEMORY];
  e->width = width;
  e->height = height;
  e->alpha = opt[OPT_ALPHA];
  if (width == 0 || height == 0 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION) {
    snprintf(encode_error, sizeof(encode_error), "JPEG cannot hold a %ux%u image", width, height);
    longjmp(e->err.escape, 1);
  }
  e->strip_rows = STRIP_BYTES / (width * 4);
  if (e->strip_rows < 1) e->strip_rows = 1;
  if (e->strip_rows > height) e->strip_rows = height;
  e->strip = malloc((size_t)width * 4 * e->strip_rows);
  e->out.data = malloc(OUTPUT_START);
  if (!e->strip || !e->out.data) ERREXIT1(c, JERR_OUT_OF_MEMORY, 11);
  e->out.capacity = OUTPUT_START;
  e->out.pub.init_destination = output_init;
  e->out.pub.empty_output_buffer = output_full;
  e->out.pub.term_destination = output_term;
  e->out.pub.next_output_byte = e->out.data;
  e->out.pub.free_in_buffer = OUTPUT_START;
  c->dest = &e->out.pub;

  c->image_width = width;
  c->image_height = height;
  c->input_components = 4;
  c->in_color_space = JCS_EXT_RGBX;
  jpeg_set_defaults(c); /* YCbCr, 2×2 luma sampling (4:2:0), JDCT_ISLOW */
  jpeg_set_quality(c, opt[OPT_QUALITY], TRUE);
  c->optimize_coding = opt[OPT_OPTIMIZE] ? TRUE : FALSE;
  if (opt[OPT_PROGRESSIVE]) jpeg_simple_progression(c);
  jpeg_start_compress(c, TRUE);
  if (opt[OPT_EXIF_LENGTH] > 0) {
    jpeg_write_marker(c, JPEG_APP0 + 1, (const JOCTET*)(uintptr_t)opt[OPT_EXIF], (unsigned int)opt[OPT_EXIF_LENGTH]);
  }
  if (opt[OPT_ICC_LENGTH] > 0) {
    jpeg_write_icc_profile(c, (const JOCTET*)(uintptr_t)opt[OPT_ICC], (unsigned int)opt[OPT_ICC_LENGTH]);
  }
  info[ENC_STRIP] = (int32_t)(uintptr_t)e->strip;
  info[ENC_STRIP_ROWS] = (int32_t)e->strip_rows;
  return e;
}

/* Translucent RGBA over white, in place (the file has no alpha). */
static void over_white(uint8_t* row, uint32_t width) {
  for (uint32_t x = 0; x < width; x++, row += 4) {
    uint32_t a = row[3];
    if (a == 255) continue;
    uint32_t white = 255 * (255 - a);
    row[0] = (uint8_t)((row[0] * a + white + 127) / 255);
    row[1] = (uint8_t)((row[1] * a + white + 127) / 255);
    row[2] = (uint8_t)((row[2] * a + white + 127) / 255);
  }
}

/*
 * Compresses the first `count` rows of the strip. After the image's last row the file is finished. 0, or -1
 * with the reason in jpeg_encode_error(); the encode is then released and must not be used again.
 */
EXPORT(jpeg_encode_rows) int jpeg_encode_rows(Encode* e, uint32_t count) {
  if (setjmp(e->err.escape)) {
    encode_release(e);
    return -1;
  }
  j_compress_ptr c = &e->cinfo;
  if (count > e->strip_rows || count > e->height - c->next_scanline) {
    snprintf(encode_error, sizeof(encode_error), "more rows than the image has");
    longjmp(e->err.escape, 1);
  }
  JSAMPROW rows[16];
  for (uint32_t done = 0; done < count;) {
    uint32_t n = count - done < 16 ? count - done : 16;
    for (uint32_t i = 0; i < n; i++) {
      rows[i] = e->strip + (size_t)(done + i) * e->width * 4;
      if (e->alpha) over_white(rows[i], e->width);
    }
    done += jpeg_write_scanlines(c, rows, n);
  }
  if (c->next_scanline == e->height) {
    jpeg_finish_compress(c);
    e->finished = 1;
  }
  return 0;
}

enum { TAKE_DATA, TAKE_LENGTH, TAKE_COUNT };

/*
 * The output made since the last take: where[TAKE_DATA], where[TAKE_LENGTH] bytes, valid until the next call
 * into the encode, for the host to copy out. Returns 1 once the file is complete (then jpeg_encode_end).
 */
EXPORT(jpeg_encode_take) int jpeg_encode_take(Encode* e, int32_t* where) {
  Output* out = &e->out;
  where[TAKE_DATA] = (int32_t)(uintptr_t)out->data;
  where[TAKE_LENGTH] = (int32_t)(out->capacity - out->pub.free_in_buffer);
  out->pub.next_output_byte = out->data;
  out->pub.free_in_buffer = out->capacity;
  return e->finished;
}

/* Releases an encode (after its last piece was taken, or to give up). */
EXPORT(jpeg_encode_end) void jpeg_encode_end(Encode* e) { encode_release(e); }
