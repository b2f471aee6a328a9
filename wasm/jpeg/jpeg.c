/*
 * edgepix JPEG decoder: a thin wrapper over libjpeg-turbo (Debian's source, 8-bit, arithmetic decoding on),
 * built as a standalone WASM reactor. The host (src/codecs/turbo-jpeg.ts) copies the file into memory, asks
 * for the header, decides the DCT scale and the memory it allows, then decodes.
 *
 * - Pixels go row by row straight into one RGBA buffer allocated here and freed by the host with free().
 * - Grayscale, YCbCr and RGB files are converted by libjpeg; CMYK and YCCK (Adobe's inverted CMYK included)
 *   are converted to RGB here.
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

/* Kept outside the setjmp frame so the cleanup path sees it without volatile gymnastics. */
static uint8_t* pixels;

/*
 * Decodes to RGBA at 1/scale_denom of the stored size (scale_denom 1, 2, 4 or 8: libjpeg's DCT scaling).
 * max_memory caps what libjpeg may allocate for itself (0 = no cap); the whole-image coefficient buffer of a
 * progressive file counts, the returned pixels do not. Returns the pixels (free() them) and writes the
 * width and height to size[0..1]; NULL on error, with the reason in jpeg_error().
 */
EXPORT(jpeg_decode)
uint8_t* jpeg_decode(const uint8_t* data, uint32_t length, int scale_denom, uint32_t max_memory, int32_t* size) {
  Session s;
  session_prepare(&s);
  pixels = NULL;
  if (setjmp(s.err.escape)) {
    jpeg_destroy_decompress(&s.cinfo);
    free(pixels);
    pixels = NULL;
    return NULL;
  }
  session_open(&s, data, length);
  if (scale_denom != 1 && scale_denom != 2 && scale_denom != 4 && scale_denom != 8) {
    fail_with("scale must be 1/1, 1/2, 1/4 or 1/8");
    longjmp(s.err.escape, 1);
  }
  s.cinfo.mem->max_memory_to_use = max_memory;
  read_header(&s);
  j_decompress_ptr c = &s.cinfo;
  c->scale_num = 1;
  c->scale_denom = (unsigned int)scale_denom;
  int cmyk = c->jpeg_color_space == JCS_CMYK || c->jpeg_color_space == JCS_YCCK;
  c->out_color_space = cmyk ? JCS_CMYK : JCS_EXT_RGBA;
  jpeg_calc_output_dimensions(c);

  uint32_t width = c->output_width, height = c->output_height;
  uint64_t bytes = (uint64_t)width * height * 4;
  if (bytes > 0x7fffffff) {
    fail_with("the decoded image would exceed 2 GB");
    longjmp(s.err.escape, 1);
  }
  pixels = malloc((size_t)bytes);
  if (!pixels) {
    fail_with("out of memory for the decoded pixels");
    longjmp(s.err.escape, 1);
  }
  jpeg_start_decompress(c);
  uint32_t stride = width * 4;
  while (c->output_scanline < height) {
    JSAMPROW rows[4];
    uint32_t first = c->output_scanline;
    uint32_t count = height - first < 4 ? height - first : 4;
    for (uint32_t i = 0; i < count; i++) rows[i] = pixels + (size_t)(first + i) * stride;
    uint32_t got = jpeg_read_scanlines(c, rows, count);
    if (cmyk) {
      for (uint32_t i = 0; i < got; i++) cmyk_to_rgba(rows[i], width, c->saw_Adobe_marker);
    }
  }
  jpeg_finish_decompress(c);
  jpeg_destroy_decompress(c);
  size[0] = (int32_t)width;
  size[1] = (int32_t)height;
  uint8_t* result = pixels;
  pixels = NULL;
  return result;
}
