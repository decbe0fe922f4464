/* Test scaffolding for installer/windows-check, never shipped: Wine 8.0 has no bcryptprimitives.dll,
 * whose ProcessPrng Rust's standard library (jellyfish, cryptography) calls on Windows 10+ for random
 * bytes. This DLL, put beside python.exe under Wine only, provides it through advapi32's
 * SystemFunction036 (RtlGenRandom), the generator Windows' own ProcessPrng sits on.
 * Built with mingw-w64: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll bcryptprimitives.c -ladvapi32
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
