/*
 * edgepix animated WebP: libwebp's WebPAnimDecoder (libwebpdemux) and WebPAnimEncoder (libwebpmux), from the same
 * Debian libwebp 1.5.0 sources as webp.c, linked into webp.wasm. The host is src/codecs/animation/webp.ts.
 *
 * Both sides work one frame at a time so the host can stream: the decoder keeps only its canvas (and the
 * previous one, for disposal) and hands out the composited canvas of each frame in turn; the encoder takes one
 * canvas-sized RGBA frame per call and keeps only its encoded sub-frames (and two canvases) until assembly.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "src/webp/demux.h"
#include "src/webp/encode.h"
#include "src/webp/mux.h"

#define EXPORT(name) __attribute__((export_name(#name)))

static const char* anim_error = "";

EXPORT(webp_anim_error) const char* webp_anim_error(void) { return anim_error; }

typedef struct {
  WebPAnimDecoder* dec;
  uint8_t* data; /* the file: the demuxer reads it in place until the decoder is deleted */
} AnimDecoder;

enum { ANIM_WIDTH, ANIM_HEIGHT, ANIM_LOOP, ANIM_FRAMES, ANIM_INFO_COUNT };

/*
 * Takes ownership of `data` (malloc'd by the host). Fills info[ANIM_INFO_COUNT] with the canvas size, the loop
 * count (0 = forever) and the frame count. Returns a handle, or NULL with webp_anim_error().
 */
EXPORT(webp_anim_decoder_new)
AnimDecoder* webp_anim_decoder_new(uint8_t* data, uint32_t length, int32_t* info) {
  AnimDecoder* d = calloc(1, sizeof(AnimDecoder));
  if (!d) {
    free(data);
    anim_error = "out of memory";
    return NULL;
  }
  d->data = data;
  WebPAnimDecoderOptions options;
  if (!WebPAnimDecoderOptionsInit(&options)) {
    anim_error = "libwebp version mismatch";
    goto fail;
  }
  options.color_mode = MODE_RGBA; /* not premultiplied, as the pipeline's frames */
  options.use_threads = 0;
  WebPData webp = {data, length};
  d->dec = WebPAnimDecoderNew(&webp, &options);
  if (!d->dec) {
    anim_error = "the animation is corrupt or truncated";
    goto fail;
  }
  WebPAnimInfo anim;
  if (!WebPAnimDecoderGetInfo(d->dec, &anim)) {
    anim_error = "the animation's header could not be read";
    goto fail;
  }
  info[ANIM_WIDTH] = (int32_t)anim.canvas_width;
  info[ANIM_HEIGHT] = (int32_t)anim.canvas_height;
  info[ANIM_LOOP] = (int32_t)anim.loop_count;
  info[ANIM_FRAMES] = (int32_t)anim.frame_count;
  return d;
fail:
  WebPAnimDecoderDelete(d->dec);
  free(d->data);
  free(d);
  return NULL;
}

/*
 * Decodes the next frame: returns the composited canvas (RGBA, width × height, owned by the decoder and valid
 * until the next call) and writes its end time in ms to timestamp[0]; NULL with webp_anim_error() on error or
 * when no frame is left (then webp_anim_error() is "").
 */
EXPORT(webp_anim_decoder_next)
uint8_t* webp_anim_decoder_next(AnimDecoder* d, int32_t* timestamp) {
  anim_error = "";
  if (!WebPAnimDecoderHasMoreFrames(d->dec)) return NULL;
  uint8_t* canvas = NULL;
  int end = 0;
  if (!WebPAnimDecoderGetNext(d->dec, &canvas, &end)) {
    anim_error = "a frame is corrupt or truncated";
    return NULL;
  }
  timestamp[0] = end;
  return canvas;
}

EXPORT(webp_anim_decoder_delete) void webp_anim_decoder_delete(AnimDecoder* d) {
  if (!d) return;
  WebPAnimDecoderDelete(d->dec);
  free(d->data);
  free(d);
}

typedef struct {
  WebPAnimEncoder* enc;
  WebPConfig config;
  int width, height;
} AnimEncoder;

/*
 * Starts an animation of width × height canvases. loop: 0 = forever; quality/lossless/method as webp_encode.
 * Every other setting is libwebp's default (key frames every 9–17 frames for lossy, no mixed mode, no size
 * minimisation), as cwebp's gif2webp and libvips use by default. Returns a handle or NULL.
 */
EXPORT(webp_anim_encoder_new)
AnimEncoder* webp_anim_encoder_new(int width, int height, int loop, float quality, int lossless, int method) {
  AnimEncoder* e = calloc(1, sizeof(AnimEncoder));
  if (!e) {
    anim_error = "out of memory";
    return NULL;
  }
  WebPAnimEncoderOptions options;
  if (!WebPAnimEncoderOptionsInit(&options) || !WebPConfigInit(&e->config)) {
    anim_error = "libwebp version mismatch";
    free(e);
    return NULL;
  }
  options.anim_params.loop_count = loop;
  options.anim_params.bgcolor = 0x00000000; /* transparent, as GIF's disposal to background is shown */
  e->config.quality = quality;
  e->config.lossless = lossless;
  e->config.method = method;
  e->config.exact = lossless;
  if (!WebPValidateConfig(&e->config)) {
    anim_error = "invalid configuration";
    free(e);
    return NULL;
  }
  e->enc = WebPAnimEncoderNew(width, height, &options);
  if (!e->enc) {
    anim_error = "bad animation size or out of memory";
    free(e);
    return NULL;
  }
  e->width = width;
  e->height = height;
  return e;
}

/* Adds a canvas-sized RGBA frame shown from `timestamp` ms. Returns 1, or 0 with webp_anim_error(). */
EXPORT(webp_anim_encoder_add)
int webp_anim_encoder_add(AnimEncoder* e, const uint8_t* rgba, int timestamp) {
  WebPPicture picture;
  if (!WebPPictureInit(&picture)) {
    anim_error = "libwebp version mismatch";
    return 0;
  }
  picture.use_argb = 1; /* the animation encoder works on ARGB canvases */
  picture.width = e->width;
  picture.height = e->height;
  if (!WebPPictureImportRGBA(&picture, rgba, e->width * 4)) {
    anim_error = "out of memory for the frame";
    WebPPictureFree(&picture);
    return 0;
  }
  int ok = WebPAnimEncoderAdd(e->enc, &picture, timestamp, &e->config);
  WebPPictureFree(&picture);
  if (!ok) anim_error = WebPAnimEncoderGetError(e->enc);
  return ok;
}

/*
 * Ends the animation at `timestamp` ms (the last frame's end) and assembles the file: returns it (free() it)
 * with its length in size[0], or NULL with webp_anim_error().
 */
EXPORT(webp_anim_encoder_finish)
uint8_t* webp_anim_encoder_finish(AnimEncoder* e, int timestamp, int32_t* size) {
  WebPData out;
  WebPDataInit(&out);
  if (!WebPAnimEncoderAdd(e->enc, NULL, timestamp, NULL) || !WebPAnimEncoderAssemble(e->enc, &out)) {
    anim_error = WebPAnimEncoderGetError(e->enc);
    WebPDataClear(&out);
    return NULL;
  }
  size[0] = (int32_t)out.size;
  return (uint8_t*)out.bytes;
}

EXPORT(webp_anim_encoder_delete) void webp_anim_encoder_delete(AnimEncoder* e) {
  if (!e) return;
  WebPAnimEncoderDelete(e->enc);
  free(e);
}
