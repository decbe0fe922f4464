"""What a cell of an import file may contain, character by character, and how a bad value is quoted.

Refused everywhere: control characters (C0, DEL, C1 such as NEL), invisible characters (format
characters such as the zero-width space, joiners, the byte-order mark, bidirectional controls and
the soft hyphen; the line and paragraph separators; variation selectors and the Hangul and Braille
fillers that render as nothing), spaces other than the ordinary space (no-break, em, ideographic
…), private-use code points, surrogates and non-characters. Such characters make twins that a
person cannot tell apart on screen ("S001" and "S001" followed by a zero-width space are two
staff numbers) and break the files and screens the values reach. A column for free text written
on several lines (a notice's summary) accepts line breaks (LF, CRLF) and nothing else of these.

A bad value is never echoed whole: `excerpt` shows at most 40 characters with every such
character escaped (`\\u200b`), and says how long the value was.
"""

from __future__ import annotations

import re
import unicodedata

EXCERPT_LENGTH = 40

# Unicode 15 categories Cc, Cf, Zl, Zp and Zs (but U+0020), written out so that no table is built
# at start-up (tests/adversarial/test_import_cells.py checks this list against unicodedata).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
           "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
           "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
_SEPARATORS = "\u2028\u2029"
_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_FILLERS = "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u2800\u3164\uffa0\ufe00-\ufe0f\U000e0100-\U000e01ef"
_OTHER = "\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff\U000f0000-\U0010ffff"
_BAD = re.compile(f"[\t\n\r{_CONTROL}{_FORMAT}{_SEPARATORS}{_SPACES}{_FILLERS}{_OTHER}]")
_BAD_MULTILINE = re.compile(f"[\t{_CONTROL}{_FORMAT}{_SEPARATORS}{_SPACES}{_FILLERS}{_OTHER}]|\r(?!\n)")


def character_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why `text` may not be imported because of a character in it, or None."""
    found = (_BAD_MULTILINE if multiline else _BAD).search(text)
    if found is None:
        return None
    char = found.group()[0]
    return f"contains {_kind(char, multiline)} ({_code(char)}) at character {found.start() + 1}: {excerpt(text)}"


def all_plain(text: str) -> bool:
    """True when `text` holds none of the characters refused in any column (not even a line break):
    then no part of it has a `character_problem`, single- or multi-line. One search over the cells of
    a row joined by commas spares a search per cell."""
    return _BAD.search(text) is None


def _kind(char: str, multiline: bool) -> str:
    if char in "\n\r":
        return ("a line break (allowed only in free text such as a summary)" if not multiline
                else "a lone carriage return")
    category = unicodedata.category(char)
    if category == "Cc":
        return "a tab" if char == "\t" else "a control character"
    if category == "Zs":
        return "a space other than the ordinary space"
    if category in ("Co", "Cs", "Cn"):
        return "a private-use or non-character code point"
    return "an invisible character"


def _code(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}{' ' + name if name else ''}"


def _escaped(char: str) -> str:
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if char == "\t":
        return "\\t"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """A short printable quotation of `text`: at most `limit` characters, bad ones escaped."""
    head = text[:limit]
    shown = _BAD.sub(lambda m: _escaped(m.group()), head)
    if len(text) > limit:
        return f"'{shown}…' ({len(text):,} characters)"
    return f"'{shown}'"
