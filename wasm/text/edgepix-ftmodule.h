/* The FreeType modules wasm/text links: TrueType and CFF outlines in sfnt containers (TTF, OTF), and the
   anti-aliasing rasteriser. No bitmap, Type 1, PCF or SVG fonts, no auto-hinter (glyphs are drawn unhinted). */
FT_USE_MODULE( FT_Module_Class, psaux_module_class )
FT_USE_MODULE( FT_Driver_ClassRec, tt_driver_class )
FT_USE_MODULE( FT_Driver_ClassRec, cff_driver_class )
FT_USE_MODULE( FT_Module_Class, psnames_module_class )
FT_USE_MODULE( FT_Module_Class, pshinter_module_class )
FT_USE_MODULE( FT_Module_Class, sfnt_module_class )
FT_USE_MODULE( FT_Renderer_Class, ft_smooth_renderer_class )
