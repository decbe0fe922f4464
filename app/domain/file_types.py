"""The kinds of file a case document may be, and how each is recognised by its content.

A file is accepted as a type only when its name ends in one of the type's extensions AND its
first bytes are what that type starts with (a statement renamed from `.exe` to `.pdf` is refused).
Office documents (docx, xlsx, odt) are ZIP containers: the ZIP signature is checked here and the
member that makes them what they are by `zip_member_wanted` (the service opens the ZIP's
directory). Plain text (txt, eml) has no signature: it must hold no NUL byte (binary files nearly
always do), checked over the whole file as it is read.

Which of these types a force accepts, and the largest size, are policy (DOCUMENT_TYPES,
DOCUMENT_MAX_MEGABYTES in app.domain.policy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from app.domain.errors import InvalidInput

HEAD_BYTES = 64  # how much of the start of a file recognition needs


def _starts(*signatures: bytes) -> Callable[[bytes], bool]:
    return lambda head: any(head.startswith(s) for s in signatures)


def _at(offset: int, *signatures: bytes) -> Callable[[bytes], bool]:
    return lambda head: any(head[offset:offset + len(s)] == s for s in signatures)


def _riff(form: bytes) -> Callable[[bytes], bool]:
    return lambda head: head[:4] == b"RIFF" and head[8:12] == form


def _mp3(head: bytes) -> bool:
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _text(head: bytes) -> bool:
    return b"\x00" not in head


ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003, Outlook .msg


@dataclass(frozen=True)
class FileType:
    key: str  # the name used in policy, e.g. "pdf"
    label: str
    extensions: tuple[str, ...]
    media_type: str
    recognise: Callable[[bytes], bool]
    zip_member: str | None = None  # a ZIP container: a member it must hold
    text: bool = False  # no signature: no NUL byte anywhere, and decodable


TYPES: tuple[FileType, ...] = (
    FileType("pdf", "PDF document", (".pdf",), "application/pdf", _starts(b"%PDF-")),
    FileType("docx", "Word document", (".docx",),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _starts(ZIP),
             zip_member="word/document.xml"),
    FileType("doc", "Word 97-2003 document", (".doc",), "application/msword", _starts(OLE2)),
    FileType("odt", "OpenDocument text", (".odt",), "application/vnd.oasis.opendocument.text", _starts(ZIP),
             zip_member="content.xml"),
    FileType("rtf", "Rich text", (".rtf",), "application/rtf", _starts(b"{\\rtf")),
    FileType("txt", "Plain text", (".txt",), "text/plain", _text, text=True),
    FileType("eml", "E-mail message", (".eml",), "message/rfc822", _text, text=True),
    FileType("msg", "Outlook message", (".msg",), "application/vnd.ms-outlook", _starts(OLE2)),
    FileType("xlsx", "Excel workbook", (".xlsx",),
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _starts(ZIP),
             zip_member="xl/workbook.xml"),
    FileType("xls", "Excel 97-2003 workbook", (".xls",), "application/vnd.ms-excel", _starts(OLE2)),
    FileType("jpg", "JPEG image", (".jpg", ".jpeg"), "image/jpeg", _starts(b"\xff\xd8\xff")),
    FileType("png", "PNG image", (".png",), "image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    FileType("tif", "TIFF image", (".tif", ".tiff"), "image/tiff", _starts(b"II*\x00", b"MM\x00*")),
    FileType("mp3", "MP3 audio", (".mp3",), "audio/mpeg", _mp3),
    FileType("wav", "WAV audio", (".wav",), "audio/wav", _riff(b"WAVE")),
    FileType("m4a", "MPEG-4 audio", (".m4a",), "audio/mp4", _at(4, b"ftyp")),
    FileType("mp4", "MPEG-4 video", (".mp4",), "video/mp4", _at(4, b"ftyp")),
)
BY_KEY: dict[str, FileType] = {t.key: t for t in TYPES}


def known_keys() -> tuple[str, ...]:
    return tuple(t.key for t in TYPES)


def parse_type_list(text: str) -> tuple[str, ...]:
    """`pdf, docx;jpg` → ("docx", "jpg", "pdf"); InvalidInput names an unknown type."""
    keys = sorted({p.strip().lower().lstrip(".") for p in text.replace(";", ",").split(",") if p.strip()})
    unknown = [k for k in keys if k not in BY_KEY]
    if unknown or not keys:
        raise InvalidInput(f"{', '.join(unknown) or 'nothing'} is not a document type this program knows "
                           f"({', '.join(known_keys())}).")
    return tuple(keys)


def type_for_name(filename: str, allowed: tuple[str, ...]) -> FileType:
    """The allowed type whose extension `filename` has; refused naming what is allowed."""
    suffix = PurePath(filename).suffix.lower()
    found = next((t for t in TYPES if suffix in t.extensions), None)
    if found is None or found.key not in allowed:
        what = f"'{suffix}' files" if suffix else "files without an extension"
        raise InvalidInput(f"{filename}: {what} cannot be attached. The force's policy allows: "
                           f"{', '.join(allowed)}.")
    return found


def check_head(file_type: FileType, filename: str, head: bytes) -> None:
    """Refuse a file whose first bytes are not what its type starts with."""
    if not head:
        raise InvalidInput(f"{filename}: the file is empty.")
    check_text_chunk(file_type, filename, head)
    if not file_type.recognise(head[:HEAD_BYTES]):
        raise InvalidInput(f"{filename}: the content is not {_a(file_type.label)} although the name ends in "
                           f"'{PurePath(filename).suffix}'. Nothing was attached.")


def _a(label: str) -> str:
    return ("an " if label[0] in "AEIOU" else "a ") + label


def check_text_chunk(file_type: FileType, filename: str, chunk: bytes) -> None:
    """For a text type: every chunk as read (a NUL byte means it is not text)."""
    if file_type.text and b"\x00" in chunk:
        raise InvalidInput(f"{filename}: the content is not {file_type.label.lower()} (it holds binary data). "
                           "Nothing was attached.")


def zip_member_wanted(file_type: FileType, filename: str, members: list[str] | None) -> None:
    """For a ZIP-based type: `members` is the ZIP's directory (None: not a readable ZIP)."""
    if file_type.zip_member is None:
        return
    if members is None or file_type.zip_member not in members:
        raise InvalidInput(f"{filename}: the content is not {_a(file_type.label)} (it lacks {file_type.zip_member}). "
                           "Nothing was attached.")


def readable_size(size: int) -> str:
    """1 536 → "1.5 KB" (decimal units, as file managers show them)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} bytes"
