/*
 * edgepix colour conversion: a thin wrapper over Little CMS 2 (Debian's source), built as a standalone WASM
 * reactor. The host (src/codecs/colour/lcms.ts) opens a transform from an image's own profile to sRGB and runs
 * decoded rows through it in place, a strip at a time, before they reach the resizer.
 *
 * - The source profile is either an ICC profile (JPEG APP2, PNG iCCP, WebP ICCP, AVIF colr) or made here from
 *   primaries, white point and a transfer curve (PNG cHRM/gAMA, AVIF nclx code points: lcms_open_primaries).
 * - Rows are always 4 bytes a pixel: RGBA (alpha left in place), CMYK (JPEG; plain, not Adobe-inverted: the
 *   JPEG module normalises), or grey in the first byte of RGBA (R = G = B), which goes through a 256-entry
 *   table made with the transform.
 * - The intent is perceptual, as sharp asks libvips for; matrix-shaper profiles (Display P3, Adobe RGB) have no
 *   perceptual table and fall back to colorimetric, as every colour-managed viewer does.
 * - lcms reports errors through its log handler and returns NULL; nothing here longjmps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lcms2.h"

#define EXPORT(name) __attribute__((export_name(#name)))

enum { INPUT_RGBA = 0, INPUT_CMYK = 1, INPUT_GREY = 2 };

typedef struct {
  cmsHTRANSFORM transform;
  int input;
  uint8_t grey[256 * 4];
} Colour;

static char last_error[256];

static void on_error(cmsContext context, cmsUInt32Number code, const char* text) {
  (void)context;
  (void)code;
  strncpy(last_error, text, sizeof(last_error) - 1);
  last_error[sizeof(last_error) - 1] = 0;
}

static void fail_with(const char* text) { on_error(NULL, 0, text); }

EXPORT(lcms_error) const char* lcms_error(void) { return last_error; }

/* Clears the last error and routes lcms's messages to it (cheap; done by every export that opens). */
static void begin(void) {
  last_error[0] = 0;
  cmsSetLogErrorHandler(on_error);
}

static const cmsColorSpaceSignature SPACE_OF[] = {cmsSigRgbData, cmsSigCmykData, cmsSigGrayData};
static const cmsUInt32Number FORMAT_OF[] = {TYPE_RGBA_8, TYPE_CMYK_8, TYPE_GRAY_8};

/* Opens the transform from `profile` (closed here) to sRGB for rows of kind `input`; NULL on error. */
static Colour* open_from(cmsHPROFILE profile, int input) {
  if (!profile) {
    fail_with("the colour profile could not be read");
    return NULL;
  }
  if (input < INPUT_RGBA || input > INPUT_GREY) {
    cmsCloseProfile(profile);
    fail_with("unknown input kind");
    return NULL;
  }
  if (cmsGetColorSpace(profile) != SPACE_OF[input]) {
    cmsCloseProfile(profile);
    fail_with("the colour profile does not match the image's colour space");
    return NULL;
  }
  Colour* c = calloc(1, sizeof(Colour));
  cmsHPROFILE srgb = cmsCreate_sRGBProfile();
  if (!c || !srgb) {
    cmsCloseProfile(profile);
    if (srgb) cmsCloseProfile(srgb);
    free(c);
    fail_with("out of memory");
    return NULL;
  }
  c->input = input;
  /* RGBA runs in place and lcms never writes the extra channel it is not asked to copy: alpha stays as it was
   * without cmsFLAGS_COPY_ALPHA. The one-pixel cache stays on: neighbouring pixels of a photo often repeat. */
  cmsUInt32Number out = input == INPUT_RGBA ? TYPE_RGBA_8 : TYPE_RGB_8;
  c->transform = cmsCreateTransform(profile, FORMAT_OF[input], srgb, out, INTENT_PERCEPTUAL, 0);
  cmsCloseProfile(profile);
  cmsCloseProfile(srgb);
  if (!c->transform) {
    free(c);
    if (!last_error[0]) fail_with("no transform from this colour profile to sRGB");
    return NULL;
  }
  if (input == INPUT_GREY) {
    uint8_t levels[256], rgb[256 * 3];
    for (int i = 0; i < 256; i++) levels[i] = (uint8_t)i;
    cmsDoTransform(c->transform, levels, rgb, 256);
    for (int i = 0; i < 256; i++) memcpy(&c->grey[i * 4], &rgb[i * 3], 3);
  }
  return c;
}

/* A transform from the ICC profile at icc[0, length) to sRGB for rows of kind `input`. */
EXPORT(lcms_open_icc) Colour* lcms_open_icc(const uint8_t* icc, uint32_t length, int input) {
  begin();
  return open_from(cmsOpenProfileFromMem(icc, length), input);
}

/*
 * A transform to sRGB from an RGB space given by p[0..7] (white x, y, then red, green, blue x, y) and a
 * transfer curve: p[8] is lcms's parametric curve type (1: gamma p[9]; 4: sRGB-like p[9..13]).
 */
EXPORT(lcms_open_primaries) Colour* lcms_open_primaries(const double* p) {
  begin();
  cmsCIExyY white = {p[0], p[1], 1.0};
  cmsCIExyYTRIPLE primaries = {{p[2], p[3], 1.0}, {p[4], p[5], 1.0}, {p[6], p[7], 1.0}};
  int type = (int)p[8];
  if (type != 1 && type != 4) {
    fail_with("unknown transfer curve type");
    return NULL;
  }
  cmsToneCurve* curve = cmsBuildParametricToneCurve(NULL, type, &p[9]);
  if (!curve) {
    fail_with("the transfer curve could not be built");
    return NULL;
  }
  cmsToneCurve* curves[3] = {curve, curve, curve};
  cmsHPROFILE profile = cmsCreateRGBProfile(&white, &primaries, curves);
  cmsFreeToneCurve(curve);
  return open_from(profile, INPUT_RGBA);
}

/* Converts `count` pixels of 4 bytes in place to sRGB RGBA (alpha kept for RGBA, opaque for CMYK). */
EXPORT(lcms_apply) void lcms_apply(Colour* c, uint8_t* pixels, uint32_t count) {
  if (c->input == INPUT_GREY) {
    for (uint32_t i = 0; i < count; i++, pixels += 4) memcpy(pixels, &c->grey[pixels[0] * 4], 3);
    return;
  }
  if (c->input == INPUT_RGBA) {
    cmsDoTransform(c->transform, pixels, pixels, count);
    return;
  }
  /* CMYK → RGB packs 3 bytes a pixel: written in place from the front, never past what was already read. */
  cmsDoTransform(c->transform, pixels, pixels, count);
  for (uint32_t i = count; i-- > 0;) {
    pixels[i * 4 + 3] = 255;
    pixels[i * 4 + 2] = pixels[i * 3 + 2];
    pixels[i * 4 + 1] = pixels[i * 3 + 1];
    pixels[i * 4 + 0] = pixels[i * 3 + 0];
  }
}

EXPORT(lcms_close) void lcms_close(Colour* c) {
  if (!c) return;
  cmsDeleteTransform(c->transform);
  free(c);
}
