/*
 * edgepix JPEG decoder: a thin wrapper over libjpeg-turbo (Debian's source, 8-bit, arithmetic decoding on),
 * built as a standalone WASM reactor. The host (src/codecs/turbo-jpeg.ts) copies the file into memory, asks
 * for the header, decides the DCT scale and the memory it allows, then decodes.
 *
 * - Pixels come out a strip of rows at a time (jpeg_decode_begin, jpeg_decode_rows, jpeg_decode_finish): the
 *   host copies each strip into its frame, so the module holds the file, libjpeg's state and one strip, never
 *   the whole image.
 * - Grayscale, YCbCr and RGB files are converted by libjpeg; CMYK and YCCK (Adobe's inverted CMYK included)
 *   are converted to RGB here, or handed out as CMYK for the host's colour profile (jpeg_decode_keep_cmyk).
 * - libjpeg reports errors through error_exit, which must not return: it records the message and longjmps
 *   back to the exported function (-sSUPPORT_LONGJMP=wasm), which cleans up and returns an error. The
 *   instance stays usable; jpeg_error() gives the message.
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

/* A progressive file with more scans than this is hostile (each scan re-walks the whole coefficient buffer). */
#define MAX_SCANS 256

typedef struct {
  struct jpeg_error_mgr pub;
  jmp_buf escape;
} ErrorManager;

static char last_error[JMSG_LENGTH_MAX + 96];

static void fail_with(const char* text) {
  strncpy(last_error, text, sizeof(last_error) - 1);
  last_error[sizeof(last_error) - 1] = 0;
}

static void on_error_exit(j_common_ptr cinfo) {
  ErrorManager* err = (ErrorManager*)cinfo->err;
  switch (err->pub.msg_code) {
    case JERR_NO_BACKING_STORE:
      /* libjpeg asked for more than max_memory_to_use for its whole-image buffers (see jpeg_decode). */
      fail_with("the image needs more memory to decode than its budget allows");
      break;
    case JWRN_JPEG_EOF:
      fail_with("the file is truncated (premature end of data)");
      break;
    default:
      (*err->pub.format_message)(cinfo, last_error);
  }
  longjmp(err->escape, 1);
}

/* Warnings are tolerated (cameras write harmless ones), except running out of data: libjpeg would fill the
 * rest of the picture with grey and the damaged file would be served as if it were whole. */
static void on_emit_message(j_common_ptr cinfo, int level) {
  if (level < 0) {
    if (cinfo->err->msg_code == JWRN_JPEG_EOF) on_error_exit(cinfo);
    cinfo->err->num_warnings++;
  }
}

static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void on_progress(j_common_ptr cinfo) {
  j_decompress_ptr d = (j_decompress_ptr)cinfo;
  if (cinfo->is_decompressor && d->input_scan_number > MAX_SCANS) {
    snprintf(last_error, sizeof(last_error), "the file has more than %d scans", MAX_SCANS);
    longjmp(((ErrorManager*)cinfo->err)->escape, 1);
  }
}

/* One decompressor per call; everything it allocates is released by jpeg_destroy_decompress. */
typedef struct {
  struct jpeg_decompress_struct cinfo;
  ErrorManager err;
  struct jpeg_progress_mgr progress;
} Session;

/* Before setjmp: nothing here can fail. */
static void session_prepare(Session* s) {
  memset(s, 0, sizeof(*s));
  last_error[0] = 0;
  s->cinfo.err = jpeg_std_error(&s->err.pub);
  s->err.pub.error_exit = on_error_exit;
  s->err.pub.emit_message = on_emit_message;
  s->err.pub.output_message = on_output_message;
}

/* After setjmp: errors longjmp back to the caller's cleanup. */
static void session_open(Session* s, const uint8_t* data, uint32_t length) {
  jpeg_create_decompress(&s->cinfo);
  s->progress.progress_monitor = on_progress;
  s->cinfo.progress = &s->progress;
  jpeg_mem_src(&s->cinfo, data, length);
}

static void read_header(Session* s) {
  if (jpeg_read_header(&s->cinfo, TRUE) != JPEG_HEADER_OK) {
    fail_with("the file holds no image (tables only)");
    longjmp(s->err.escape, 1);
  }
}

/* Bytes of the whole-image coefficient buffer libjpeg keeps for multi-scan (progressive) files: 0 for
 * single-scan files, which decode one MCU row at a time. Mirrors jinit_d_coef_controller. */
static uint32_t coefficient_bytes(j_decompress_ptr cinfo) {
  if (!jpeg_has_multiple_scans(cinfo)) return 0;
  uint64_t total = 0;
  for (int ci = 0; ci < cinfo->num_components; ci++) {
    jpeg_component_info* c = &cinfo->comp_info[ci];
    uint64_t w = (c->width_in_blocks + c->h_samp_factor - 1) / c->h_samp_factor * c->h_samp_factor;
    uint64_t h = (c->height_in_blocks + c->v_samp_factor - 1) / c->v_samp_factor * c->v_samp_factor;
    total += w * h * sizeof(JBLOCK);
  }
  return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

enum {
  INFO_WIDTH,
  INFO_HEIGHT,
  INFO_COMPONENTS,
  INFO_COLOR_SPACE, /* J_COLOR_SPACE of the file: 1 grey, 2 RGB, 3 YCbCr, 4 CMYK, 5 YCCK */
  INFO_PROGRESSIVE,
  INFO_ARITHMETIC,
  INFO_PRECISION,
  INFO_COEFFICIENT_BYTES,
  INFO_MAX_H_SAMPLING,
  INFO_MAX_V_SAMPLING,
  INFO_COUNT
};

EXPORT(jpeg_error) const char* jpeg_error(void) { return last_error; }

/* Reads the header only. Fills info[INFO_COUNT]; returns 0, or -1 with the reason in jpeg_error(). */
EXPORT(jpeg_header) int jpeg_header(const uint8_t* data, uint32_t length, int32_t* info) {
  Session s;
  session_prepare(&s);
  if (setjmp(s.err.escape)) {
    jpeg_destroy_decompress(&s.cinfo);
    return -1;
  }
  session_open(&s, data, length);
  read_header(&s);
  j_decompress_ptr c = &s.cinfo;
  info[INFO_WIDTH] = (int32_t)c->image_width;
  info[INFO_HEIGHT] = (int32_t)c->image_height;
  info[INFO_COMPONENTS] = c->num_components;
  info[INFO_COLOR_SPACE] = c->jpeg_color_space;
  info[INFO_PROGRESSIVE] = c->progressive_mode;
  info[INFO_ARITHMETIC] = c->arith_code;
  info[INFO_PRECISION] = c->data_precision;
  info[INFO_COEFFICIENT_BYTES] = (int32_t)coefficient_bytes(c);
  info[INFO_MAX_H_SAMPLING] = c->max_h_samp_factor;
  info[INFO_MAX_V_SAMPLING] = c->max_v_samp_factor;
  jpeg_destroy_decompress(&s.cinfo);
  return 0;
}

/* In place: 4 bytes of CMYK per pixel become RGBA. Adobe writes inverted CMYK (0 = full ink), so its
 * values are already "how much light" and multiply directly; plain CMYK is inverted first. */
static void cmyk_to_rgba(uint8_t* row, uint32_t width, int inverted) {
  for (uint32_t x = 0; x < width; x++, row += 4) {
    uint32_t c = row[0], m = row[1], y = row[2], k = row[3];
    if (!inverted) {
      c = 255 - c;
      m = 255 - m;
      y = 255 - y;
      k = 255 - k;
    }
    row[0] = (uint8_t)((c * k + 127) / 255);
    row[1] = (uint8_t)((m * k + 127) / 255);
    row[2] = (uint8_t)((y * k + 127) / 255);
    row[3] = 255;
  }
}

/* In place: CMYK as ink amounts (0 = no ink), the form colour profiles expect; Adobe's inverted CMYK is turned
 * back. */
static void cmyk_plain(uint8_t* row, uint32_t width, int inverted) {
  if (!inverted) return;
  for (uint32_t i = 0; i < width * 4; i++) row[i] = (uint8_t)(255 - row[i]);
}

/* Output rows per jpeg_decode_rows: a strip of about this many bytes (at least one row), so the module never
 * holds the whole decoded image (the host assembles it). */
#define STRIP_BYTES (256 * 1024)

/* A decode in progress: its own decompressor, and the strip the rows are written to. */
typedef struct {
  Session s;
  uint8_t* strip;
  uint32_t strip_rows, width, height;
  int cmyk;
  int keep_cmyk; /* rows stay CMYK for a colour profile (jpeg_decode_keep_cmyk) */
} Decode;

/* Destroys the decompressor and frees everything the decode holds. */
static void decode_release(Decode* d) {
  jpeg_destroy_decompress(&d->s.cinfo);
  free(d->strip);
  free(d);
}

enum { DECODE_WIDTH, DECODE_HEIGHT, DECODE_STRIP, DECODE_STRIP_ROWS, DECODE_COUNT };

/*
 * Starts decoding to RGBA at 1/scale_denom of the stored size (scale_denom 1, 2, 4 or 8: libjpeg's DCT
 * scaling). max_memory caps what libjpeg may allocate for itself (0 = no cap); the whole-image coefficient
 * buffer of a progressive file counts. Fills info[DECODE_COUNT] (output size, the strip jpeg_decode_rows writes
 * to and its rows) and returns the decode, to be read with jpeg_decode_rows until every row is out and closed
 * with jpeg_decode_finish (or jpeg_decode_abort). NULL on error, with the reason in jpeg_error().
 */
EXPORT(jpeg_decode_begin)
Decode* jpeg_decode_begin(const uint8_t* data, uint32_t length, int scale_denom, uint32_t max_memory,
                          int32_t* info) {
  Decode* d = calloc(1, sizeof(Decode));
  if (!d) {
    fail_with("out of memory");
    return NULL;
  }
  session_prepare(&d->s);
  if (setjmp(d->s.err.escape)) {
    decode_release(d);
    return NULL;
  }
  session_open(&d->s, data, length);
  if (scale_denom != 1 && scale_denom != 2 && scale_denom != 4 && scale_denom != 8) {
    fail_with("scale must be 1/1, 1/2, 1/4 or 1/8");
    longjmp(d->s.err.escape, 1);
  }
  d->s.cinfo.mem->max_memory_to_use = max_memory;
  read_header(&d->s);
  j_decompress_ptr c = &d->s.cinfo;
  c->scale_num = 1;
  c->scale_denom = (unsigned int)scale_denom;
  d->cmyk = c->jpeg_color_space == JCS_CMYK || c->jpeg_color_space == JCS_YCCK;
  c->out_color_space = d->cmyk ? JCS_CMYK : JCS_EXT_RGBA;
  jpeg_calc_output_dimensions(c);
  d->width = c->output_width;
  d->height = c->output_height;
  if ((uint64_t)d->width * d->height * 4 > 0x7fffffff) {
    fail_with("the decoded image would exceed 2 GB");
    longjmp(d->s.err.escape, 1);
  }
  uint32_t stride = d->width * 4;
  d->strip_rows = STRIP_BYTES / stride;
  if (d->strip_rows < 1) d->strip_rows = 1;
  if (d->strip_rows > d->height) d->strip_rows = d->height;
  d->strip = malloc((size_t)stride * d->strip_rows);
  if (!d->strip) {
    fail_with("out of memory for the decoded rows");
    longjmp(d->s.err.escape, 1);
  }
  jpeg_start_decompress(c);
  info[DECODE_WIDTH] = (int32_t)d->width;
  info[DECODE_HEIGHT] = (int32_t)d->height;
  info[DECODE_STRIP] = (int32_t)(uintptr_t)d->strip;
  info[DECODE_STRIP_ROWS] = (int32_t)d->strip_rows;
  return d;
}

/*
 * Decodes the next rows into the strip, from its start: returns how many (at least one, at most strip_rows, the
 * rest of the image at the end). -1 on error, with the reason in jpeg_error(); the decode is then released
 * and must not be used again.
 */
EXPORT(jpeg_decode_rows) int jpeg_decode_rows(Decode* d) {
  if (setjmp(d->s.err.escape)) {
    decode_release(d);
    return -1;
  }
  j_decompress_ptr c = &d->s.cinfo;
  uint32_t stride = d->width * 4, done = 0;
  uint32_t want = d->height - c->output_scanline;
  if (want > d->strip_rows) want = d->strip_rows;
  if (want == 0) {
    fail_with("every row has been read");
    longjmp(d->s.err.escape, 1);
  }
  while (done < want) {
    JSAMPROW rows[4];
    uint32_t count = want - done < 4 ? want - done : 4;
    for (uint32_t i = 0; i < count; i++) rows[i] = d->strip + (size_t)(done + i) * stride;
    uint32_t got = jpeg_read_scanlines(c, rows, count);
    if (got == 0) {
      fail_with("the decoder stopped making progress");
      longjmp(d->s.err.escape, 1);
    }
    if (d->cmyk) {
      for (uint32_t i = 0; i < got; i++) {
        if (d->keep_cmyk) cmyk_plain(rows[i], d->width, c->saw_Adobe_marker);
        else cmyk_to_rgba(rows[i], d->width, c->saw_Adobe_marker);
      }
    }
    done += got;
  }
  return (int)done;
}

/* Called before the first jpeg_decode_rows: a CMYK or YCCK file's rows then come out as CMYK ink amounts, 4 bytes
 * a pixel (for the host to convert with the file's colour profile), not as RGBA. Returns 1 if the file is CMYK
 * or YCCK, else 0 (and the rows stay RGBA). */
EXPORT(jpeg_decode_keep_cmyk) int jpeg_decode_keep_cmyk(Decode* d) {
  d->keep_cmyk = d->cmyk;
  return d->cmyk;
}

/* After the last row: reads the rest of the file (an error there fails the decode too) and releases the
 * decode. 0, or -1 with the reason in jpeg_error(). */
EXPORT(jpeg_decode_finish) int jpeg_decode_finish(Decode* d) {
  if (setjmp(d->s.err.escape)) {
    decode_release(d);
    return -1;
  }
  if (d->s.cinfo.output_scanline < d->height) {
    fail_with("the decode was finished before its last row");
    longjmp(d->s.err.escape, 1);
  }
  jpeg_finish_decompress(&d->s.cinfo);
  decode_release(d);
  return 0;
}

/* Releases a decode the host gives up on. */
EXPORT(jpeg_decode_abort) void jpeg_decode_abort(Decode* d) { decode_release(d); }
