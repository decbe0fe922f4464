/* Test scaffolding for installer/windows-check, never shipped: Qt's Windows platform plugin
 * (qwindows.dll) imports six colour-management functions from mscms.dll to learn each screen's ICC
 * profile; Wine 8.0 leaves WcsCreateIccProfile unimplemented, so the window aborts at start-up.
 * make_shims.py patches the test copy of qwindows.dll to import them from this wscms.dll instead,
 * which reports "no profile" for every screen: Qt then uses sRGB, as on a PC without a profile.
 * Built with: x86_64-w64-mingw32-gcc -shared -O2 -o wscms.dll wscms.c */
#include <windows.h>

#define EXPORT __declspec(dllexport)

EXPORT HRESULT WINAPI ColorProfileGetDisplayDefault(int scope, LUID adapter, UINT32 source, int type, int subtype, LPWSTR *name)
{ (void)scope; (void)adapter; (void)source; (void)type; (void)subtype; if (name) *name = NULL; return E_NOTIMPL; }
EXPORT HRESULT WINAPI ColorProfileGetDisplayUserScope(LUID adapter, UINT32 source, int *scope)
{ (void)adapter; (void)source; if (scope) *scope = 0; return E_NOTIMPL; }
EXPORT HANDLE WINAPI OpenColorProfileW(void *profile, DWORD access, DWORD share, DWORD creation)
{ (void)profile; (void)access; (void)share; (void)creation; SetLastError(ERROR_FILE_NOT_FOUND); return NULL; }
EXPORT BOOL WINAPI CloseColorProfile(HANDLE profile) { (void)profile; return TRUE; }
EXPORT BOOL WINAPI GetColorProfileFromHandle(HANDLE profile, BYTE *buffer, DWORD *size)
{ (void)profile; (void)buffer; if (size) *size = 0; SetLastError(ERROR_INVALID_HANDLE); return FALSE; }
EXPORT HANDLE WINAPI WcsCreateIccProfile(HANDLE profile, DWORD options)
{ (void)profile; (void)options; SetLastError(ERROR_NOT_SUPPORTED); return NULL; }
