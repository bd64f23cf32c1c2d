/* ccy_iso - the generated ISO 4217 table (build/gen/iso4217.c), sorted. */
#ifndef FX_CCY_ISO_H
#define FX_CCY_ISO_H
extern const char fx_iso4217_codes[][4];
extern const unsigned fx_iso4217_count;
#endif
