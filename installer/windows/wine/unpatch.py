"""Put back, in a bundle built under Wine, every file that make_shims.py patched in the test copy
of the wheels: each file under BUNDLE_INTERNAL that names winecrtmath.dll is replaced by the file at
the same relative path under PRISTINE_SITE. Fails if any file still names it afterwards.

    python3 unpatch.py dist/windows/ppda-tracker/_internal CACHE/site
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

MARK = b"winecrtmath.dll"


def main() -> int:
    internal, site = Path(sys.argv[1]), Path(sys.argv[2])
    restored, left = 0, []
    for path in internal.rglob("*"):
        if path.suffix.lower() not in {".pyd", ".dll"} or not path.is_file() or MARK not in path.read_bytes():
            continue
        pristine = site / path.relative_to(internal)
        if pristine.is_file() and MARK not in pristine.read_bytes():
            shutil.copyfile(pristine, path)
            restored += 1
        else:
            left.append(str(path))
    print(f"{restored} files put back as the wheels have them")
    for path in left:
        print(f"still names {MARK.decode()}: {path}", file=sys.stderr)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
