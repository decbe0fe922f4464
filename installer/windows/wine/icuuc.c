/* Test scaffolding for installer/windows-check, never shipped: Qt 6's Qt6Core.dll imports twenty
 * ICU converter functions (ucnv_*) from icuuc.dll, the ICU that Windows 10 (1903+) and 11 carry
 * in System32. Wine 8.0 has no ICU, so Qt, and the window, would not load under Wine. Qt uses
 * these only for text encodings it does not handle itself (it has UTF-8/16/32, Latin-1 and the
 * Windows code page built in); this stand-in reports every ICU converter as unavailable, so Qt
 * runs with its built-in encodings only. PPDA Tracker reads and writes files through Python, never
 * through a Qt codec, so the window under Wine is the window on Windows less nothing it uses.
 * Built with: x86_64-w64-mingw32-gcc -shared -O2 -o icuuc.dll icuuc.c */
#include <stddef.h>
#include <stdint.h>

#define U_FILE_ACCESS_ERROR 4
#define EXPORT __declspec(dllexport)

static void fail(int *err) { if (err && *err <= 0) *err = U_FILE_ACCESS_ERROR; }

EXPORT void *ucnv_open(const char *name, int *err) { (void)name; fail(err); return NULL; }
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT void ucnv_reset(void *cnv) { (void)cnv; }
EXPORT int8_t ucnv_getMaxCharSize(const void *cnv) { (void)cnv; return 1; }
EXPORT const char *ucnv_getName(const void *cnv, int *err) { (void)cnv; fail(err); return ""; }
EXPORT void ucnv_getToUCallBack(const void *cnv, void **action, const void **context)
{ (void)cnv; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_getFromUCallBack(const void *cnv, void **action, const void **context)
{ (void)cnv; if (action) *action = NULL; if (context) *context = NULL; }
EXPORT void ucnv_setToUCallBack(void *cnv, void *a, const void *c, void **oa, const void **oc, int *err)
{ (void)cnv; (void)a; (void)c; if (oa) *oa = NULL; if (oc) *oc = NULL; fail(err); }
EXPORT void ucnv_setFromUCallBack(void *cnv, void *a, const void *c, void **oa, const void **oc, int *err)
{ (void)cnv; (void)a; (void)c; if (oa) *oa = NULL; if (oc) *oc = NULL; fail(err); }
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
EXPORT void ucnv_cbToUWriteUChars(void *args, const void *source, int32_t length, int32_t offset, int *err)
{ (void)args; (void)source; (void)length; (void)offset; fail(err); }
EXPORT void ucnv_cbFromUWriteUChars(void *args, const void **source, const void *limit, int32_t offset, int *err)
{ (void)args; (void)source; (void)limit; (void)offset; fail(err); }
EXPORT void ucnv_toUnicode(void *cnv, void **t, const void *tl, const char **s, const char *sl, int32_t *o, int f, int *err)
{ (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err); }
EXPORT void ucnv_fromUnicode(void *cnv, char **t, const char *tl, const void **s, const void *sl, int32_t *o, int f, int *err)
{ (void)cnv; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; fail(err); }
EXPORT int32_t ucnv_toUCountPending(const void *cnv, int *err) { (void)cnv; fail(err); return 0; }
EXPORT int32_t ucnv_fromUCountPending(const void *cnv, int *err) { (void)cnv; fail(err); return 0; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, int *err)
{ (void)name; (void)standard; fail(err); return NULL; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
