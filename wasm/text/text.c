// edgepix text engine: HarfBuzz shapes a run of text with a font, FreeType rasterises the glyphs it chose into
// an 8-bit coverage canvas (anti-aliased, from the outlines, unhinted so that shaping and drawing agree).
// Line breaking, bidi order, colour and layout live on the host (src/text/); this module knows fonts only.
// Sizes and positions are 26.6 fixed point pixels (1/64 px), y grows downwards on the canvas.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>
#include <hb-ot.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include FT_SYNTHESIS_H
#include FT_TRUETYPE_TABLES_H

#define EXPORT(name) __attribute__((export_name(name)))

enum { STYLE_BOLD = 1, STYLE_ITALIC = 2 };

typedef struct {
  uint8_t *data;
  hb_blob_t *blob;
  hb_face_t *face;
  hb_font_t *font;
  FT_Face ft;
  int32_t size64; // the size FreeType is set to, so consecutive glyphs of one run do not set it again
} Font;

static FT_Library library;

static int ensure_library(void) {
  return library || FT_Init_FreeType(&library) == 0;
}

// Takes ownership of `data` (allocated with malloc by the host); returns 0 when it is not a font FreeType
// and HarfBuzz can read (the data is freed then).
EXPORT("font_open") Font *font_open(uint8_t *data, uint32_t size) {
  if (!ensure_library()) { free(data); return 0; }
  Font *f = calloc(1, sizeof(Font));
  if (!f) { free(data); return 0; }
  f->data = data;
  if (FT_New_Memory_Face(library, data, (FT_Long)size, 0, &f->ft) != 0 || !FT_IS_SCALABLE(f->ft)) {
    if (f->ft) FT_Done_Face(f->ft);
    free(data);
    free(f);
    return 0;
  }
  f->blob = hb_blob_create((const char *)data, size, HB_MEMORY_MODE_READONLY, 0, 0);
  f->face = hb_face_create(f->blob, 0);
  f->font = hb_font_create(f->face);
  if (hb_face_get_glyph_count(f->face) == 0) {
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    FT_Done_Face(f->ft);
    free(data);
    free(f);
    return 0;
  }
  return f;
}

EXPORT("font_close") void font_close(Font *f) {
  if (!f) return;
  hb_font_destroy(f->font);
  hb_face_destroy(f->face);
  hb_blob_destroy(f->blob);
  FT_Done_Face(f->ft);
  free(f->data);
  free(f);
}

// Eight int32 in font units: units per em, ascender, descender (negative), line gap (the hhea values
// FreeType chose, or OS/2 typo metrics when the font asks for them), strikeout position and size, underline
// position and thickness.
static int32_t metrics[8];
EXPORT("font_metrics") int32_t *font_metrics(Font *f) {
  FT_Face ft = f->ft;
  metrics[0] = ft->units_per_EM;
  metrics[1] = ft->ascender;
  metrics[2] = ft->descender;
  metrics[3] = ft->height - (ft->ascender - ft->descender);
  TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
  metrics[4] = os2 && os2->yStrikeoutSize ? os2->yStrikeoutPosition : ft->units_per_EM / 4;
  metrics[5] = os2 && os2->yStrikeoutSize ? os2->yStrikeoutSize : ft->units_per_EM / 20;
  metrics[6] = ft->underline_position;
  metrics[7] = ft->underline_thickness;
  return metrics;
}

// The glyph for a code point, 0 when the font has none (the host then falls back to another font).
EXPORT("font_glyph") uint32_t font_glyph(Font *f, uint32_t codepoint) {
  hb_codepoint_t glyph = 0;
  return hb_font_get_nominal_glyph(f->font, codepoint, &glyph) ? glyph : 0;
}

static hb_buffer_t *buffer;
static int32_t *glyphs;
static uint32_t glyphs_capacity;

// Shapes text[start, start+length) of the UTF-32 paragraph `text` (the rest is context for joining), in one
// direction, at `size64`. Five int32 per glyph, in visual order, at shape_glyphs(): glyph id, cluster (index
// into text), x advance, x offset, y offset (26.6 px, y up). Returns the glyph count, or -1 out of memory.
EXPORT("shape") int32_t shape(Font *f, const uint32_t *text, uint32_t text_length, uint32_t start, uint32_t length,
                              int32_t rtl, int32_t size64, uint32_t style) {
  if (!buffer) buffer = hb_buffer_create();
  hb_buffer_reset(buffer);
  hb_buffer_add_codepoints(buffer, text, (int)text_length, start, (int)length);
  hb_buffer_set_direction(buffer, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
  hb_buffer_guess_segment_properties(buffer);
  hb_font_set_scale(f->font, size64, size64);
  // The same synthetic styles the rasteriser applies (FT_GlyphSlot_Embolden: 1/24 em; FT_GlyphSlot_Oblique), so
  // emboldened advances grow as the outlines do.
  float bold = (style & STYLE_BOLD) ? 1.0f / 24.0f : 0.0f;
  hb_font_set_synthetic_bold(f->font, bold, bold, 0);
  hb_font_set_synthetic_slant(f->font, (style & STYLE_ITALIC) ? 0.2126f : 0.0f);
  hb_shape(f->font, buffer, 0, 0);
  unsigned int count = 0;
  hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buffer, &count);
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buffer, &count);
  if (count * 5 > glyphs_capacity) {
    int32_t *grown = realloc(glyphs, count * 5 * sizeof(int32_t));
    if (!grown) return -1;
    glyphs = grown;
    glyphs_capacity = count * 5;
  }
  for (unsigned int i = 0; i < count; i++) {
    glyphs[i * 5] = (int32_t)info[i].codepoint;
    glyphs[i * 5 + 1] = (int32_t)info[i].cluster;
    glyphs[i * 5 + 2] = pos[i].x_advance;
    glyphs[i * 5 + 3] = pos[i].x_offset;
    glyphs[i * 5 + 4] = pos[i].y_offset;
  }
  return (int32_t)count;
}

EXPORT("shape_glyphs") int32_t *shape_glyphs(void) { return glyphs; }

// Rasterises glyph `glyph` at `size64` with its origin at (x64, y64) on the baseline, and composites its
// coverage over `canvas` (width × height, one byte a pixel): a + c − a·c. Returns 0, or FreeType's error.
EXPORT("draw_glyph") int32_t draw_glyph(Font *f, uint32_t glyph, int32_t size64, int32_t x64, int32_t y64,
                                        uint32_t style, uint8_t *canvas, int32_t width, int32_t height) {
  FT_Face ft = f->ft;
  FT_Error error;
  if (f->size64 != size64) {
    if ((error = FT_Set_Char_Size(ft, 0, size64, 72, 72)) != 0) return error;
    f->size64 = size64;
  }
  if ((error = FT_Load_Glyph(ft, glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP | FT_LOAD_NO_SVG)) != 0) return error;
  FT_GlyphSlot slot = ft->glyph;
  if (slot->format != FT_GLYPH_FORMAT_OUTLINE) return 0; // nothing to draw (a blank or a bitmap-only glyph)
  if (style & STYLE_ITALIC) FT_GlyphSlot_Oblique(slot);
  if (style & STYLE_BOLD) FT_GlyphSlot_Embolden(slot);
  // Sub-pixel placement: the fractional part moves the outline, the integral part moves the bitmap.
  FT_Outline_Translate(&slot->outline, x64 & 63, -(y64 & 63));
  if ((error = FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL)) != 0) return error;
  FT_Bitmap *bitmap = &slot->bitmap;
  int32_t left = (x64 >> 6) + slot->bitmap_left;
  int32_t top = (y64 >> 6) - slot->bitmap_top;
  for (int32_t row = 0; row < (int32_t)bitmap->rows; row++) {
    int32_t y = top + row;
    if (y < 0 || y >= height) continue;
    const uint8_t *source = bitmap->buffer + row * bitmap->pitch;
    uint8_t *target = canvas + (size_t)y * (size_t)width;
    for (int32_t column = 0; column < (int32_t)bitmap->width; column++) {
      int32_t x = left + column;
      if (x < 0 || x >= width) continue;
      uint32_t c = source[column], a = target[x];
      if (c) target[x] = (uint8_t)(a + c - (a * c + 127) / 255);
    }
  }
  return 0;
}
