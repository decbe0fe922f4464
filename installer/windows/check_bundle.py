"""The contents of the Windows bundle built under Wine (a step of installer/windows-check's bundle
stage), read on Linux with the host's python3, pefile and PyInstaller's own archive reader (both from
the Windows wheels: PYTHONPATH=CACHE/site):

- ppda-tracker.exe is a window program (GUI subsystem) and ppda-tracker-cli.exe a console program,
  both with the version resource (ProductVersion = app.__version__) and the icon;
- nothing of Wine's test scaffolding: no stand-in file (installer/windows/wine/), no module that
  imports one (make_shims.py's patches put back by unpatch.py);
- migrations/ and resources/ byte for byte at _internal/app/migrations and _internal/app/assets;
- the modules the program imports by name at run time inside the executables' archive, and the
  binaries and data it needs (Qt's Windows platform plugin, numpy, highspy, SQLCipher, tzdata);
- no Qt translations, no Linux-only Qt plugin.

    python3 check_bundle.py BUNDLE_DIR REPO_DIR VERSION

Prints one line a check ("ok"/"FAIL"); exit status 0 only if every check passed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pefile
from PyInstaller.archive.readers import pkg_archive_contents

STAND_IN_FILES = {"winecrtmath.dll", "wscms.dll", "icuuc.dll", "bcryptprimitives.dll"}
# DLL names only the patched test copies import (Qt6Core.dll's own icuuc.dll import is Windows 10's)
STAND_IN_IMPORTS = {"winecrtmath.dll", "wscms.dll"}
SUBSYSTEM = {"ppda-tracker.exe": ("GUI", 2), "ppda-tracker-cli.exe": ("console", 3)}
MODULES = (  # imported by name only, or the heart of the program: in the executables' archive
    "app.cli", "app.ui.launch", "app.ui.main_window", "app.persistence.database",
    "sqlalchemy.dialects.sqlite.pysqlite", "sqlalchemy.dialects.sqlite.pysqlcipher",
    "sqlalchemy.dialects.postgresql.psycopg", "alembic.runtime.migration", "alembic.ddl.sqlite",
    "keyring.backends.Windows", "win32ctypes.pywin32.win32cred", "argon2", "zxcvbn",
    "holidays.countries.united_kingdom", "tzdata", "numpy", "highspy", "reportlab", "openpyxl",
)
FILES = (  # under _internal: binaries and data found on disk at run time
    "python311.dll", "base_library.zip", "PySide6/plugins/platforms/qwindows.dll",
    "PySide6/plugins/imageformats/qsvg.dll", "Qt6Core.dll", "Qt6Widgets.dll",
    "tzdata/zoneinfo/Europe/London", "ppda_tracker-{version}.dist-info/METADATA",
)
GLOBS = ("numpy/_core/_multiarray_umath*.pyd", "highspy/_core*.pyd", "sqlcipher3/_sqlite3*.pyd",
         "jellyfish/_rustyfish*.pyd", "cryptography/hazmat/bindings/_rust.pyd")
LINUX_QT = ("libqxcb", "libqwayland", "libqgtk3", "libqeglfs")


class Report:
    def __init__(self) -> None:
        self.failures = 0

    def check(self, name: str, condition: bool, why: str = "") -> None:
        if condition:
            print(f"  ok    {name}")
        else:
            self.failures += 1
            print(f"  FAIL  {name}{': ' + why if why else ''}")


def product_version(pe: pefile.PE) -> str | None:
    for info in getattr(pe, "FileInfo", None) or []:
        for entry in info:
            for table in getattr(entry, "StringTable", []):
                value = table.entries.get(b"ProductVersion")
                if value is not None:
                    return value.decode(errors="replace")
    return None


def has_icon(pe: pefile.PE) -> bool:
    resources = getattr(pe, "DIRECTORY_ENTRY_RESOURCE", None)
    return resources is not None and any(
        entry.id == pefile.RESOURCE_TYPE["RT_GROUP_ICON"] for entry in resources.entries)


def imports_of(path: Path) -> set[str]:
    try:
        pe = pefile.PE(str(path), fast_load=True)
    except pefile.PEFormatError:
        return set()
    try:
        pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"]])
        return {e.dll.decode(errors="replace").lower() for e in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])}
    finally:
        pe.close()


def same_tree(source: Path, copy: Path, skip: Callable[[Path], bool]) -> tuple[int, list[str]]:
    """How many files of `source` there are, and those missing from `copy` or different there."""
    files = [p for p in sorted(source.rglob("*")) if p.is_file() and not skip(p)]
    bad = [str(p.relative_to(source)) for p in files
           if not (copy / p.relative_to(source)).is_file()
           or (copy / p.relative_to(source)).read_bytes() != p.read_bytes()]
    return len(files), bad


def main() -> int:
    bundle, repo, version = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    internal = bundle / "_internal"
    r = Report()
    for exe, (kind, subsystem) in SUBSYSTEM.items():
        path = bundle / exe
        if not path.is_file():
            r.check(f"{exe} present", False, "missing")
            continue
        pe = pefile.PE(str(path))
        r.check(f"{exe}: a {kind} program, version resource {version}, icon",
                pe.OPTIONAL_HEADER.Subsystem == subsystem and product_version(pe) == version and has_icon(pe),
                f"subsystem {pe.OPTIONAL_HEADER.Subsystem}, version {product_version(pe)}, icon {has_icon(pe)}")
        pe.close()

    binaries = [p for p in bundle.rglob("*") if p.is_file() and p.suffix.lower() in {".dll", ".pyd", ".exe"}]
    stand_ins = [str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.name.lower() in STAND_IN_FILES]
    patched = [str(p.relative_to(bundle)) for p in binaries if imports_of(p) & STAND_IN_IMPORTS]
    r.check(f"no Wine stand-in in the bundle ({len(binaries)} DLL/PYD/EXE files read, none imports one)",
            not stand_ins and not patched, f"stand-ins {stand_ins}, modules importing one {patched}")

    skip = lambda p: "__pycache__" in p.parts  # noqa: E731
    for folder, dest in (("migrations", "app/migrations"), ("resources", "app/assets")):
        count, bad = same_tree(repo / folder, internal / dest, skip)
        r.check(f"{folder}/ as _internal/{dest}: {count} files, identical", count > 0 and not bad,
                f"missing or different: {bad}")
    versions = sorted(p.name for p in (internal / "app/migrations/versions").glob("*.py"))
    r.check(f"the migrations: {len(versions)} revisions, {versions[-1] if versions else 'none'} the last",
            len(versions) == len(list((repo / "migrations/versions").glob("*.py"))))

    for exe in SUBSYSTEM:
        if (bundle / exe).is_file():
            names = set(pkg_archive_contents(str(bundle / exe)))
            missing = [m for m in MODULES if m not in names]
            r.check(f"{exe}: {len(names)} archive entries, the program's run-time modules among them ({len(MODULES)})",
                    not missing, f"missing {missing}")
    missing = [f for f in (f.format(version=version) for f in FILES) if not (internal / f).is_file()]
    missing += [g for g in GLOBS if not list(internal.glob(g))]
    r.check(f"binaries and data: {len(FILES) + len(GLOBS)} expected files present", not missing, f"missing {missing}")
    extra = [str(p.relative_to(internal)) for p in internal.rglob("*")
             if p.suffix == ".qm" or p.name.startswith(LINUX_QT)]
    r.check("no Qt translations, no Linux Qt plugin", not extra, f"found {extra[:5]}")
    return 1 if r.failures else 0


if __name__ == "__main__":
    sys.exit(main())
