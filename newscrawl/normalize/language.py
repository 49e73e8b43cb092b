"""Language normalisation: declared codes to primary subtags, and offline detection from body text."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from newscrawl.normalize.text import count_words

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = ["detect_language", "normalize_language"]

_LANGUAGE_TAG = re.compile(r"^(?P<primary>[A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
# Codes that declare no language, and deprecated codes still common in the wild.
_NOT_A_LANGUAGE = frozenset({"und", "mul", "zxx", "mis", "xx"})
_DEPRECATED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
# Norwegian's two written standards (Bokmål, Nynorsk) are reported as their macrolanguage "no": detectors
# return "no" for both, so a site that declares "nb" on some pages and nothing on others stays one
# language, and readers of the record filter Norwegian with one code (as with "zh" for its variants).
_MACROLANGUAGE = {"nb": "no", "nn": "no"}

MIN_WORDS = 20
"""Below this many words a detection is too unreliable to record."""
MIN_CONFIDENCE = 0.90
"""Normalised probability the best language must reach."""
_MAX_CHARS = 3000
"""Detection reads the start of the text only: the score settles long before, the cost grows with length."""


def normalize_language(code: str | None) -> str | None:
    """The primary language subtag, lower case ("en-US" -> "en", "zh-Hans-CN" -> "zh"); None for junk.

    Case and "_" do not matter ("EN_gb" -> "en"); deprecated codes map to current ones ("iw" -> "he");
    Norwegian Bokmål and Nynorsk ("nb-NO", "nn") map to their macrolanguage "no".
    A list such as a ``content-language`` header ("de, en") gives its first entry.
    """
    if not code:
        return None
    first = code.split(",", 1)[0].split(";", 1)[0].strip()
    match = _LANGUAGE_TAG.match(first)
    if not match:
        return None
    primary = match.group("primary").lower()
    if primary in _NOT_A_LANGUAGE:
        return None
    primary = _DEPRECATED.get(primary, primary)
    return _MACROLANGUAGE.get(primary, primary)


@cache
def _identifier() -> LanguageIdentifier:
    # Loaded on first use (~0.5 s, the model ships inside the package): importing this module stays free.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The language of ``text`` (a primary subtag), or None below ``MIN_WORDS`` words (CJK characters count
    one each) or ``MIN_CONFIDENCE``."""
    sample = text[:_MAX_CHARS]
    if not sample or count_words(sample) < MIN_WORDS:
        return None
    language, confidence = _identifier().classify(sample)
    if float(confidence) < MIN_CONFIDENCE:
        return None
    return normalize_language(str(language))
