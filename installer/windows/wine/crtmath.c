/* Test scaffolding for installer/windows-check, never shipped: Wine 8.0's ucrtbase leaves C99
 * complex functions unimplemented (crealf, cexp, cpow...), and numpy's and highspy's Windows builds
 * import them from api-ms-win-crt-math-l1-1-0.dll, so `import numpy` aborts under Wine. This DLL,
 * put beside python.exe under Wine only as winecrtmath.dll (make_shims.py patches the modules that
 * import the API set to import it instead): the complex functions are computed here
 * (mingw-w64's libm) with the Microsoft CRT's calling convention (_Fcomplex, _Dcomplex and
 * _Lcomplex are structs; long double is double), everything else is forwarded to ucrtbase (the
 * .def file made by installer/windows-check). Real Windows has all of them in its ucrtbase. */
#include <complex.h>
#include <math.h>

typedef struct { double v[2]; } Dc;   /* _Dcomplex, and _Lcomplex (long double is double there) */
typedef struct { float v[2]; } Fc;    /* _Fcomplex */

static double _Complex d_in(Dc z) { return __builtin_complex(z.v[0], z.v[1]); }
static float _Complex f_in(Fc z) { return __builtin_complex(z.v[0], z.v[1]); }
static Dc d_out(double _Complex z) { Dc r = {{creal(z), cimag(z)}}; return r; }
static Fc f_out(float _Complex z) { Fc r = {{crealf(z), cimagf(z)}}; return r; }

double w_creal(Dc z) { return z.v[0]; }
double w_cimag(Dc z) { return z.v[1]; }
float w_crealf(Fc z) { return z.v[0]; }
float w_cimagf(Fc z) { return z.v[1]; }
double w_creall(Dc z) { return z.v[0]; }
double w_cimagl(Dc z) { return z.v[1]; }

double w_cabs(Dc z) { return cabs(d_in(z)); }
float w_cabsf(Fc z) { return cabsf(f_in(z)); }
double w_cabsl(Dc z) { return cabs(d_in(z)); }
double w_carg(Dc z) { return carg(d_in(z)); }
float w_cargf(Fc z) { return cargf(f_in(z)); }
double w_cargl(Dc z) { return carg(d_in(z)); }

#define UNARY(name) \
    Dc w_##name(Dc z) { return d_out(name(d_in(z))); } \
    Fc w_##name##f(Fc z) { return f_out(name##f(f_in(z))); } \
    Dc w_##name##l(Dc z) { return d_out(name(d_in(z))); }
UNARY(cexp) UNARY(clog) UNARY(csqrt) UNARY(csin) UNARY(ccos) UNARY(ctan) UNARY(csinh) UNARY(ccosh)
UNARY(ctanh) UNARY(casin) UNARY(cacos) UNARY(catan) UNARY(casinh) UNARY(cacosh) UNARY(catanh)
UNARY(conj) UNARY(cproj)

Dc w_cpow(Dc x, Dc y) { return d_out(cpow(d_in(x), d_in(y))); }
Fc w_cpowf(Fc x, Fc y) { return f_out(cpowf(f_in(x), f_in(y))); }
Dc w_cpowl(Dc x, Dc y) { return d_out(cpow(d_in(x), d_in(y))); }
