/* xltext - text as a workbook cell stores it. Excel holds at most 32,767
 * UTF-16 code units in a cell, and a literal "_xHHHH_" in text (an
 * underscore, x, four hex digits of either case, an underscore) would be
 * read back as the character U+HHHH, so fxbook writes its '_' as _x005F_
 * (the OOXML rule): 6 characters more, which the writer counts against the
 * limit. Readers check lengths with fx_xltext_len, so whatever they accept
 * fits a cell once escaped; sheet.c's fx_sheet_put_text escapes the same
 * sequences. No allocation, no locale. */
#ifndef FX_XLTEXT_H
#define FX_XLTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Excel's limit on a cell's text, in UTF-16 code units. */
#define FX_XLTEXT_MAX 32767
/* What each literal _xHHHH_ adds when stored (the "_x005F" before it). */
#define FX_XLTEXT_ESCAPE_EXTRA 6

/* True when s[i..i+7) (within len) is a literal _xHHHH_: '_', 'x' or
 * 'X', four of 0-9 A-F a-f, '_'. */
bool fx_xltext_is_escape(const char *s, size_t i, size_t len);
/* How many literal _xHHHH_ s holds (overlapping ones counted apart, as
 * the writer escapes each: "_x0041_x0042_" holds two). */
size_t fx_xltext_escapes(const char *s, size_t len);
/* UTF-16 code units of valid UTF-8 s (a character past U+FFFF takes two). */
size_t fx_xltext_utf16_len(const char *s, size_t len);
/* The length as stored: UTF-16 units plus FX_XLTEXT_ESCAPE_EXTRA per
 * literal _xHHHH_. A text fits a cell when this is <= FX_XLTEXT_MAX. */
size_t fx_xltext_len(const char *s, size_t len);

#endif
