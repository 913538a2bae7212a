"""The one rule for bilingual text, used by the check, the pages and the theme's words alike (no Sphinx here).

A pair is written ``한국어 · English``: exactly one separator, Hangul on the left, Latin letters and
no Hangul on the right. coursebook-reader.js applies the same rule in the browser.
"""

from __future__ import annotations

import re

SEPARATOR = " · "  # between the halves of a bilingual heading or label: 한국어 · English
SYLLABLES = "\uac00-\ud7a3"  # 가-힣: the Hangul syllables, a character class range
HANGUL = re.compile(rf"[\u1100-\u11ff\u3130-\u318f{SYLLABLES}]")  # syllables and jamo
HANGUL_SYLLABLE = re.compile(f"[{SYLLABLES}]")  # what a reader reads as one character
LATIN = re.compile(r"[A-Za-z]")


def is_pair(korean: str, english: str) -> bool:
    """True when the two halves read as Korean and English: Hangul on the left, Latin and no Hangul on the right."""
    return bool(HANGUL.search(korean)) and not HANGUL.search(english) and bool(LATIN.search(english))


def split_pair(text: str) -> tuple[str, str] | None:
    """``"모형 · The model"`` -> ``("모형", "The model")``; None for any other text (coursebook-reader.js: the same rule)."""
    if text.count(SEPARATOR) != 1:
        return None
    korean, english = (half.strip() for half in text.split(SEPARATOR))
    return (korean, english) if is_pair(korean, english) else None
