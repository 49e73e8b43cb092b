"""Image caption/credit normalisation: the credit out of the caption, and the credit without its label."""

from __future__ import annotations

import re

import regex

from newscrawl.normalize.text import CREDIT_LABELS, clean_text, fold_for_compare

__all__ = ["split_caption_credit"]

_MAX_CREDIT_WORDS = 12
"""A longer tail is a sentence of the caption, not a credit."""

# A label at the start of a credit given on its own: "Photo credit: X", "© X", "Photo by X", "Foto von X".
_CREDIT_LABEL = re.compile(
    rf"^(?:(?:{CREDIT_LABELS})\s*[:：]\s*"
    r"|(?:photo|photograph|picture|image|foto|bild)\s+(?:by|von|de|di|door|av|courtesy(?:\s+of)?)\s+"
    r"|courtesy(?:\s+of)?\s+"
    r"|(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d{2}\b\s*)?[,:]?\s*)",
    re.IGNORECASE,
)
# A credit inside a caption, from its label to the end: only after the caption's start, a sentence end, a
# separator or as a capitalised label ("Second picture Photo: Ann Lee"), so "the photo: a man" mid-sentence
# or "photographed by" keep their place in the caption.
_LABELLED_TAIL = re.compile(
    rf"(?:^|(?<=[.!?…)\]])\s+|\s*[|/–—]\s*|\s+-\s+|\s*\(\s*|\s+(?=©)|\s+(?=(?-i:[A-ZÀ-ÞА-ЯΑ-Ω])))"
    rf"(?P<credit>(?:(?:{CREDIT_LABELS})\s*[:：]"
    r"|(?:Photo|Photograph|Picture|Image|Foto|Bild)\s+(?:by|von|courtesy(?:\s+of)?)\s"
    r"|Courtesy(?:\s+of)?\s"
    r"|©|\(c\)\s"
    r")[^|]*?)\)?\s*$",
    re.IGNORECASE,
)
# "... (Reuters)", "... (AP Photo/Jane Doe)", "... (Foto: dpa)": a short parenthesis closing the caption.
_PAREN_TAIL = re.compile(r"\s*\((?P<credit>[^()]{2,80})\)\s*$")
# "... Jane Doe/Getty Images", "... Foto: X / dpa" already caught; here "Name / Agency" after a sentence end.
# Every word of the credit is capitalised, which keeps prose ("in the 1910s / 1920s") out.
_SLASH_TAIL = regex.compile(
    r"(?:^|(?<=[.!?…])\s+|\s+[|–—-]\s+)"
    r"(?P<credit>\p{Lu}[\w'’-]*\.?(?:\s+\p{Lu}[\w'’-]*\.?){0,4}\s*/\s*\p{Lu}[\w.&'’-]*"
    r"(?:\s+\p{Lu}[\w.&'’-]*){0,3})\s*$"
)
# A short tail after " | " is a credit: captions use the bar for nothing else.
_BAR_TAIL = re.compile(r"\s+\|\s+(?P<credit>[^|]{2,80})$")
_PHOTO_WORD = re.compile(r"\b(?:photos?|foto|bild|getty|images?|pool|archiv|archive|file)\b", re.IGNORECASE)
# Agencies whose bare name in a closing parenthesis is a credit. Wire services, not sites of any data set.
_AGENCIES = frozenset(
    {
        "ap", "afp", "reuters", "dpa", "epa", "epa-efe", "efe", "ansa", "kyodo", "xinhua", "tass",
        "ria novosti",
        "pti", "ians", "ani", "upi", "getty", "getty images", "shutterstock", "imago", "picture alliance",
        "picture-alliance", "keystone", "belga", "anp", "ntb", "tt", "ritzau", "yonhap", "aap", "pa",
        "pa wire",
        "pa media", "lusa", "europa press", "pap", "ctk", "mti", "anadolu", "sipa", "bloomberg", "ap photo",
        "afp photo", "reuters photo", "istock", "alamy", "zuma", "zuma press", "sputnik", "unsplash", "ddp",
        "kna", "epd", "apa", "sda", "keystone-sda",
    }
)
_SEPARATOR_EDGES = re.compile(r"^[\s|:–—-]+|[\s|:–—,(-]+$")


def _strip_label(credit: str) -> str:
    """The credit without its label ("Photo credit: X" -> "X"), one label deep, and without wrapping ()."""
    credit = clean_text(credit)
    if credit.startswith("(") and credit.endswith(")"):
        credit = credit[1:-1].strip()
    stripped = _CREDIT_LABEL.sub("", credit, count=1)
    # "Foto: © dpa": a label and a copyright sign together.
    stripped = _CREDIT_LABEL.sub("", stripped, count=1) if stripped.startswith(("©", "(c)")) else stripped
    return _SEPARATOR_EDGES.sub("", stripped)


def _short(text: str) -> bool:
    return 0 < len(text.split()) <= _MAX_CREDIT_WORDS


def _credit_in_caption(caption: str) -> tuple[str, str] | None:
    """(caption without the credit, the credit as printed) when the caption ends with a credit."""
    labelled = _LABELLED_TAIL.search(caption)
    if labelled and _short(labelled["credit"]):
        return caption[: labelled.start()], labelled["credit"]
    paren = _PAREN_TAIL.search(caption)
    if paren:
        inner = paren["credit"].strip()
        if (
            fold_for_compare(inner) in _AGENCIES
            or ("/" in inner and _short(inner))
            or (_PHOTO_WORD.search(inner) and _short(inner) and inner[:1].isupper())
        ):
            return caption[: paren.start()], inner
    slash = _SLASH_TAIL.search(caption)
    if slash and _short(slash["credit"]):
        return caption[: slash.start()], slash["credit"]
    bar = _BAR_TAIL.search(caption)
    if bar and _short(bar["credit"]) and len(bar["credit"].split()) <= 6:
        return caption[: bar.start()], bar["credit"]
    return None


def split_caption_credit(caption: str | None, credit: str | None) -> tuple[str | None, str | None]:
    """(caption without any credit, credit without its label), each cleaned; empty results are None.

    A credit found at the end of the caption ("... Photo: X/Agency", "... © X", "... (Reuters)",
    "... | Foto: X / dpa", "... Jane Doe/Getty Images") is cut out of it; a credit given separately wins over
    one found in the caption. A caption that only mentions a photo mid-sentence is left whole.
    """
    text = clean_text(caption) if caption else ""
    found: str | None = None
    if text:
        # A caption that is nothing but a credit line ("Photo: AP") is a credit, not a caption.
        if _CREDIT_LABEL.match(text) and _short(text):
            found, text = text, ""
        else:
            split = _credit_in_caption(text)
            if split:
                text, found = split
    text = _SEPARATOR_EDGES.sub("", text) if text else ""
    if text.endswith(("(", "[")):
        text = text[:-1].rstrip()
    given = _strip_label(credit) if credit else ""
    final_credit = given or (_strip_label(found) if found else "")
    if text and final_credit and fold_for_compare(text) == fold_for_compare(final_credit):
        text = ""
    return (text or None), (final_credit or None)
