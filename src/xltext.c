/* xltext - the length of text as a workbook cell stores it (see xltext.h).
 * Invariant: fx_xltext_len(s) = UTF-16 units + 6 x escapes, exactly what
 * sheet.c's fx_sheet_put_text writes for s. */
#include "xltext.h"

#include <string.h>

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

bool fx_xltext_is_escape(const char *s, size_t i, size_t len)
{
    if (i >= len || len - i < 7 || s[i] != '_' || (s[i + 1] != 'x' && s[i + 1] != 'X') ||
        s[i + 6] != '_')
        return false;
    return is_hex(s[i + 2]) && is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]);
}

size_t fx_xltext_escapes(const char *s, size_t len)
{
    size_t n = 0;
    if (len == 0)
        return 0;
    for (const char *u = memchr(s, '_', len); u;
         u = memchr(u + 1, '_', len - (size_t)(u + 1 - s)))
        n += fx_xltext_is_escape(s, (size_t)(u - s), len);
    return n;
}

size_t fx_xltext_utf16_len(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80)
            n += c >= 0xF0 ? 2 : 1; /* astral characters take a surrogate pair */
    }
    return n;
}

size_t fx_xltext_len(const char *s, size_t len)
{
    return fx_xltext_utf16_len(s, len) + FX_XLTEXT_ESCAPE_EXTRA * fx_xltext_escapes(s, len);
}
