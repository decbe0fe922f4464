"""Put back, in a bundle built under Wine, every file that make_shims.py patched in the test copies
(the wheels, the Windows Python): each file under BUNDLE_INTERNAL that names a stand-in is replaced
by the pristine file of the same relative path (or, failing that, the same name) under the PRISTINE
folders; a stand-in PyInstaller collected as a dependency is removed. Fails if any file still
names a stand-in afterwards.

    python3 unpatch.py dist/windows/ppda-tracker/_internal CACHE/site CACHE/python-pristine
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

MARKS = (b"winecrtmath.dll\0", b"\0wscms.dll\0")
STAND_INS = {"winecrtmath.dll", "wscms.dll", "icuuc.dll", "bcryptprimitives.dll"}


def patched(path: Path) -> bool:
    data = path.read_bytes()
    return any(mark in data for mark in MARKS)


def main() -> int:
    internal, pristine_roots = Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]]
    by_name: dict[str, list[Path]] = {}
    for root in pristine_roots:
        for p in root.rglob("*"):
            if p.suffix.lower() in {".pyd", ".dll"} and p.is_file():
                by_name.setdefault(p.name.lower(), []).append(p)
    restored, removed, left = 0, 0, []
    for path in sorted(internal.rglob("*")):
        if path.suffix.lower() not in {".pyd", ".dll"} or not path.is_file():
            continue
        if path.name.lower() in STAND_INS:
            path.unlink()
            removed += 1
            continue
        if not patched(path):
            continue
        candidates = [root / path.relative_to(internal) for root in pristine_roots]
        candidates += by_name.get(path.name.lower(), [])
        good = next((c for c in candidates if c.is_file() and not patched(c)), None)
        if good is not None:
            shutil.copyfile(good, path)
            restored += 1
        else:
            left.append(str(path))
    print(f"{restored} files put back as the wheels and Windows Python have them; {removed} stand-ins removed")
    for path in left:
        print(f"still names a Wine stand-in: {path}", file=sys.stderr)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
