"""Build the Wine-only test shims of installer/windows-check beside a Windows python.exe (or a
bundle's executables), never shipped:

- bcryptprimitives.dll: ProcessPrng, which Wine 8.0 lacks (Rust-built extensions call it);
- icuuc.dll: ICU's converters for Qt6Core.dll, all reported unavailable (icuuc.c);
- wscms.dll: "no colour profile" for Qt's qwindows.dll, which imports it instead of mscms.dll (wscms.c);
- winecrtmath.dll: the C99 complex functions Wine 8.0's ucrtbase leaves unimplemented (numpy and
  highspy import them from api-ms-win-crt-math-l1-1-0.dll), the rest forwarded to ucrtbase. Wine
  resolves api-ms-win-crt-* names to its ucrtbase itself (an API set: a DLL of that name beside the
  program is ignored), so the modules that import from it are PATCHED, in the test copy only:
  the import's DLL name is overwritten with winecrtmath.dll.

    python3 make_shims.py DEST_FOLDER SCAN_FOLDER...   (needs x86_64-w64-mingw32-gcc and pefile)

Every .pyd/.dll under the scanned folders that imports from api-ms-win-crt-math-l1-1-0 is patched
(in place: give it a copy; hard links are broken, not written through) and the shim exports every function they import.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pefile

HERE = Path(__file__).resolve().parent
CC = "x86_64-w64-mingw32-gcc"
MATH = "api-ms-win-crt-math-l1-1-0"
SHIM = "winecrtmath"


def patch_math_imports(folders: list[Path]) -> tuple[list[str], int]:
    """The functions imported from the math API set, and how many files were patched to import
    them from the shim instead."""
    names: set[str] = set()
    patched = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix.lower() not in {".pyd", ".dll"} or not path.is_file() or path.stem == SHIM:
                continue
            try:
                pe = pefile.PE(str(path), fast_load=True)
                pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"]])
            except pefile.PEFormatError:
                continue
            entries = getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])
            hits = [entry for entry in entries if entry.dll.decode(errors="replace").lower().startswith(MATH)]
            done = [entry for entry in entries if entry.dll.decode(errors="replace").lower() == f"{SHIM}.dll"]
            for entry in hits + done:  # a file patched by an earlier run still needs its functions
                names.update(imp.name.decode() for imp in entry.imports if imp.name)
            pe.close()
            if hits:
                data = path.read_bytes()
                new = f"{SHIM}.dll".encode().ljust(len(MATH) + 4, b"\0")
                for spelling in {f"{MATH}.dll".encode(), f"{MATH}.dll".upper().encode(), hits[0].dll}:
                    data = data.replace(spelling + b"\0", new + b"\0")
                path.unlink()  # the copy may be a hard link to the original: never write through it
                path.write_bytes(data)
                patched += 1
    return sorted(names), patched


def patch_dll_name(folders: list[Path], old: str, new: str) -> int:
    """Make every .pyd/.dll under the folders that imports `old` import `new` (same length) instead."""
    assert len(new) == len(old)
    patched = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if path.suffix.lower() not in {".pyd", ".dll"} or not path.is_file():
                continue
            data = path.read_bytes()
            changed = data
            for spelling in {old, old.upper(), old.lower()}:
                changed = changed.replace(b"\0" + spelling.encode() + b"\0", b"\0" + new.encode() + b"\0")
            if changed != data:
                path.unlink()  # never write through a hard link
                path.write_bytes(changed)
                patched += 1
    return patched


def implemented() -> set[str]:
    source = (HERE / "crtmath.c").read_text(encoding="utf-8")
    names = set(re.findall(r"\bw_([a-z]\w*)\(", source))
    for base in re.findall(r"^UNARY\((\w+)\)|\bUNARY\((\w+)\)", source, re.MULTILINE):
        stem = base[0] or base[1]
        names |= {stem, stem + "f", stem + "l"}
    return names


def main() -> None:
    dest = Path(sys.argv[1])
    scan = [Path(p) for p in sys.argv[2:]] or [dest]
    own = implemented()
    names, patched = patch_math_imports(scan)
    with tempfile.TemporaryDirectory() as tmp:
        deffile = Path(tmp, f"{SHIM}.def")
        lines = [f'LIBRARY "{SHIM}.dll"', "EXPORTS"]
        lines += [f"    {n}=w_{n}" if n in own else f"    {n}=ucrtbase.{n}" for n in names]
        deffile.write_text("\n".join(lines) + "\n", encoding="ascii")
        subprocess.run([CC, "-shared", "-O2", "-static-libgcc", "-o", str(dest / f"{SHIM}.dll"),
                        str(HERE / "crtmath.c"), str(deffile)], check=True)
    subprocess.run([CC, "-shared", "-O2", "-o", str(dest / "bcryptprimitives.dll"),
                    str(HERE / "bcryptprimitives.c"), "-ladvapi32"], check=True)
    # Qt's Windows platform plugin and Wine's unimplemented WcsCreateIccProfile (wscms.c)
    cms = patch_dll_name(scan, "mscms.dll", "wscms.dll")
    subprocess.run([CC, "-shared", "-O2", "-o", str(dest / "wscms.dll"), str(HERE / "wscms.c")], check=True)
    # Qt6Core's ICU converters (icuuc.c): Windows 10/11 have icuuc.dll in System32, Wine has none
    subprocess.run([CC, "-shared", "-O2", "-o", str(dest / "icuuc.dll"), str(HERE / "icuuc.c")], check=True)
    print(f"Wine shims in {dest}: bcryptprimitives.dll, icuuc.dll, wscms.dll ({cms} modules patched to import "
          f"it), {SHIM}.dll ({len(names)} functions, {len(own & set(names))} computed here; {patched} modules "
          "patched to import it)")


if __name__ == "__main__":
    main()
