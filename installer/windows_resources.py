"""Build-time helpers for the Windows executables: the version resource and the .ico icon.

Used by ppda-tracker.spec when building on Windows; both also run elsewhere (for checking).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

COMPANY = "PPDA Tracker"
PRODUCT = "PPDA Tracker"
DESCRIPTION = "PPDA Tracker: police-perpetrated domestic abuse case tracking"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'1.2.3' -> (1, 2, 3, 0); a suffix such as '1.2.3rc1' is dropped (Windows wants four numbers)."""
    match = re.match(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?", version)
    if match is None:
        raise SystemExit(f"Version {version!r} does not start with a number")
    a, b, c, d = (int(part or 0) for part in match.groups())
    return a, b, c, d


def version_file_text(version: str) -> str:
    """A PyInstaller version-resource file (VSVersionInfo) for app.__version__."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": version,
        "InternalName": "ppda-tracker",
        "LegalCopyright": "Proprietary",
        "OriginalFilename": "ppda-tracker.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    items = ",\n            ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('080904B0', [
            {items}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0809, 1200])])
  ]
)
"""


def write_version_file(target: Path, version: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(version_file_text(version), encoding="utf-8")
    return target


def write_icon(svg: Path, target: Path) -> Path:
    """Render the SVG app icon into a multi-size .ico (PNG entries, as Windows Vista+ reads them)
    with Qt's SVG renderer (QtSvg is in PySide6-Essentials)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(["icon", "-platform", "offscreen"])  # noqa: F841
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"Cannot read the icon {svg}")
    pngs: list[bytes] = []
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # PySide6 6.12 refuses the bytes form (found by the build under Wine)
        pngs.append(bytes(data.data()))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(ico_bytes(list(zip(ICON_SIZES, pngs, strict=True))))
    return target


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file holding PNG images: ICONDIR, one ICONDIRENTRY per image, then the PNGs."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images:
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs
