"""What a stored text field may hold: its length limit, and no characters that act on a terminal or
a reader rather than show.

Names and notes end up printed by `worker list`, in exports and in other people's terminals. A
stored ESC sequence can rewrite a terminal's screen, a NUL or newline breaks a table row, and a
bidi override (U+202E) shows 张三 as someone else by reversing what follows it. The model refuses
them here, so a form, the command line and an import refuse alike, naming the field. The limits
keep one record from holding megabytes: a 10 MB name once made `worker list` take 78 s.

The limits are documented in the README ("Limits on input"); `LIMITS` is what that table lists.
"""

from __future__ import annotations

import unicodedata

from core.errors import ValidationError
from core.i18n import msg

# Longest text per kind of field, in characters (code points).
NAME = 64  # a person's or a community's name, a street, a district, a city
CODE = 64  # an identifier or code: community ID, jurisdiction key, post, grade, certificate kind
TITLE = 200  # a training's or an award's title, a certificate's own name, where seconded to
NOTE = 2000  # notes and reasons: several lines allowed

LIMITS: dict[str, int] = {"name": NAME, "code": CODE, "title": TITLE, "note": NOTE}

# Characters that reorder or hide text without showing (Unicode's bidi controls and marks).
BIDI_CONTROLS = frozenset(
    {
        "\u061c",  # ARABIC LETTER MARK
        "\u200e",  # LEFT-TO-RIGHT MARK
        "\u200f",  # RIGHT-TO-LEFT MARK
        *(chr(c) for c in range(0x202A, 0x202F)),  # LRE RLE PDF LRO RLO (embeddings, overrides)
        *(chr(c) for c in range(0x2066, 0x206A)),  # LRI RLI FSI PDI (isolates)
    }
)
_MULTILINE_ALLOWED = frozenset({"\n", "\t"})


def refused_character(text: str, *, multiline: bool = False) -> tuple[int, str] | None:
    """The first character a stored text may not hold, with its position (1-based), or None.

    Refused: every control character (C0 including NUL, TAB, CR, LF and ESC; DEL; C1), the line
    and paragraph separators, lone surrogates, and the bidi controls above. A note (`multiline`)
    may hold line feeds and tabs.
    """
    if text.isprintable():  # the common case, in C: no control, separator or format character
        return None
    for position, ch in enumerate(text, start=1):
        if multiline and ch in _MULTILINE_ALLOWED:
            continue
        if ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            return position, ch
    return None


def check_text(field: str, value: str, limit: int, *, multiline: bool = False) -> None:
    """Raise `ValidationError(field, …)` if `value` is longer than `limit` or holds a character
    `refused_character` names; the message says which character, where, or how long."""
    if len(value) > limit:
        raise ValidationError(field, msg("invalid.text.too_long", length=len(value), limit=limit))
    found = refused_character(value, multiline=multiline)
    if found is None:
        return
    position, ch = found
    key = "invalid.text.bidi" if ch in BIDI_CONTROLS else "invalid.text.control"
    raise ValidationError(field, msg(key, code=f"U+{ord(ch):04X}", position=position))


def visible(text: str, *, multiline: bool = False) -> str:
    """`text` with every character `refused_character` names written as `\\x1b` or `\\u202e`, for
    showing a value that holds them (a report quoting a bad cell, a record saved before these
    checks) without letting it act on the terminal."""
    if refused_character(text, multiline=multiline) is None:
        return text
    return "".join(_escaped(ch, multiline) for ch in text)


def _escaped(ch: str, multiline: bool) -> str:
    if refused_character(ch, multiline=multiline) is None:
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
