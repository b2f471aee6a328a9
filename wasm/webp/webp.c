/*
 * edgepix WebP codec: a thin wrapper over libwebp (Debian's 1.5.0, which has the CVE-2023-4863 and CVE-2023-1999
 * fixes upstream), built as a standalone WASM reactor with libwebp's SSE2 paths mapped onto WASM SIMD. The host
 * is src/codecs/libwebp.ts.
 *
 * Every buffer handed to the host (decoded pixels, encoded file) is allocated with malloc and freed by the
 * host with free(). libwebp reports errors by return value; webp_error() names the last one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/dsp/cpu.h"
#include "src/webp/decode.h"
#include "src/webp/encode.h"

/* The build relies on libwebp's SSE2 code being compiled in (-msse2 -msimd128) and selected at run time (cpu.c's
 * EMSCRIPTEN branch answers from these macros): without them the module silently falls back to plain C. */
#if !defined(WEBP_USE_SSE2) || !defined(WEBP_HAVE_SSE2) || !defined(EMSCRIPTEN)
#error "libwebp's SSE2 paths are not enabled: build with -msse2 -msimd128 under Emscripten"
#endif

#define EXPORT(name) __attribute__((export_name(#name)))

static const char* last_error = "";

EXPORT(webp_error) const char* webp_error(void) { return last_error; }

static const char* status_text(VP8StatusCode status) {
  switch (status) {
    case VP8_STATUS_OK: return "";
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR: return "the data is corrupt (bitstream error)";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "the file uses an unsupported feature";
    case VP8_STATUS_SUSPENDED: return "decoding was suspended";
    case VP8_STATUS_USER_ABORT: return "decoding was aborted";
    case VP8_STATUS_NOT_ENOUGH_DATA: return "the file is truncated (not enough data)";
  }
  return "unknown decoder error";
}

enum { INFO_WIDTH, INFO_HEIGHT, INFO_HAS_ALPHA, INFO_ANIMATED, INFO_LOSSLESS, INFO_COUNT };

/* Reads the bitstream features. Fills info[INFO_COUNT]; returns 0, or -1 with webp_error(). */
EXPORT(webp_info) int webp_info(const uint8_t* data, uint32_t length, int32_t* info) {
  WebPBitstreamFeatures features;
  VP8StatusCode status = WebPGetFeatures(data, length, &features);
  if (status != VP8_STATUS_OK) {
    last_error = status_text(status);
    return -1;
  }
  info[INFO_WIDTH] = features.width;
  info[INFO_HEIGHT] = features.height;
  info[INFO_HAS_ALPHA] = features.has_alpha;
  info[INFO_ANIMATED] = features.has_animation;
  info[INFO_LOSSLESS] = features.format == 2;
  return 0;
}

/*
 * Decodes a still WebP to RGBA (not premultiplied; opaque images get alpha 255). With width and height > 0
 * libwebp scales while decoding (area averaging, alpha-weighted), so the full-size image never exists.
 * Returns the pixels (free() them) and writes the width and height to size[0..1]; NULL on error.
 */
EXPORT(webp_decode)
uint8_t* webp_decode(const uint8_t* data, uint32_t length, int width, int height, int32_t* size) {
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) {
    last_error = "libwebp version mismatch";
    return NULL;
  }
  VP8StatusCode status = WebPGetFeatures(data, length, &config.input);
  if (status != VP8_STATUS_OK) {
    last_error = status_text(status);
    return NULL;
  }
  if (config.input.has_animation) {
    last_error = "animated WebP is not supported";
    return NULL;
  }
  int out_w = config.input.width, out_h = config.input.height;
  if (width > 0 && height > 0 && (width != out_w || height != out_h)) {
    config.options.use_scaling = 1;
    config.options.scaled_width = out_w = width;
    config.options.scaled_height = out_h = height;
  }
  uint64_t bytes = (uint64_t)out_w * out_h * 4;
  if (bytes > 0x7fffffff) {
    last_error = "the decoded image would exceed 2 GB";
    return NULL;
  }
  uint8_t* pixels = malloc((size_t)bytes);
  if (!pixels) {
    last_error = "out of memory for the decoded pixels";
    return NULL;
  }
  config.output.colorspace = MODE_RGBA;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba = pixels;
  config.output.u.RGBA.stride = out_w * 4;
  config.output.u.RGBA.size = (size_t)bytes;
  status = WebPDecode(data, length, &config);
  WebPFreeDecBuffer(&config.output);
  if (status != VP8_STATUS_OK) {
    free(pixels);
    last_error = status_text(status);
    return NULL;
  }
  size[0] = out_w;
  size[1] = out_h;
  return pixels;
}

static const char* encode_error_text(WebPEncodingError error) {
  switch (error) {
    case VP8_ENC_OK: return "";
    case VP8_ENC_ERROR_OUT_OF_MEMORY: return "out of memory";
    case VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY: return "out of memory for the bitstream";
    case VP8_ENC_ERROR_NULL_PARAMETER: return "missing parameter";
    case VP8_ENC_ERROR_INVALID_CONFIGURATION: return "invalid configuration";
    case VP8_ENC_ERROR_BAD_DIMENSION: return "bad dimensions (at most 16383 pixels per side)";
    case VP8_ENC_ERROR_PARTITION0_OVERFLOW: return "partition 0 overflow";
    case VP8_ENC_ERROR_PARTITION_OVERFLOW: return "partition overflow";
    case VP8_ENC_ERROR_BAD_WRITE: return "write error";
    case VP8_ENC_ERROR_FILE_TOO_BIG: return "the file would be too big";
    case VP8_ENC_ERROR_USER_ABORT: return "aborted";
    case VP8_ENC_ERROR_LAST: break;
  }
  return "unknown encoder error";
}

/*
 * Encodes RGBA (not premultiplied, rows packed) to WebP. lossless 0/1; quality 0–100 (for lossless: effort);
 * method 0–6 (4 is libwebp's default balance); exact keeps the RGB under fully transparent pixels;
 * has_alpha 0 lets the encoder skip the alpha plane altogether. Returns the file (free() it) and its length
 * in size[0]; NULL on error.
 */
EXPORT(webp_encode)
uint8_t* webp_encode(const uint8_t* rgba, int width, int height, int has_alpha, float quality, int lossless,
                     int method, int exact, int32_t* size) {
  WebPConfig config;
  WebPPicture picture;
  WebPMemoryWriter writer;
  if (!WebPConfigInit(&config) || !WebPPictureInit(&picture)) {
    last_error = "libwebp version mismatch";
    return NULL;
  }
  config.quality = quality;
  config.lossless = lossless;
  config.method = method;
  config.exact = exact;
  if (!WebPValidateConfig(&config)) {
    last_error = "invalid configuration";
    return NULL;
  }
  picture.use_argb = lossless;
  picture.width = width;
  picture.height = height;
  int imported = has_alpha ? WebPPictureImportRGBA(&picture, rgba, width * 4)
                           : WebPPictureImportRGBX(&picture, rgba, width * 4);
  if (!imported) {
    last_error = encode_error_text(picture.error_code);
    WebPPictureFree(&picture);
    return NULL;
  }
  WebPMemoryWriterInit(&writer);
  picture.writer = WebPMemoryWrite;
  picture.custom_ptr = &writer;
  int ok = WebPEncode(&config, &picture);
  if (!ok) last_error = encode_error_text(picture.error_code);
  WebPPictureFree(&picture);
  if (!ok) {
    WebPMemoryWriterClear(&writer);
    return NULL;
  }
  size[0] = (int32_t)writer.size;
  return writer.mem;
}
