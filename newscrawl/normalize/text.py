"""Text normalisation: clean strings, comparison keys, body paragraphs without chrome, titles, word counts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import regex

__all__ = [
    "CREDIT_LINE",
    "clean_body",
    "clean_text",
    "count_words",
    "fold_for_compare",
    "strip_title_affixes",
]

# Invisible characters that only split words for search engines and copy-paste (zero-width, soft hyphen).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# On str patterns \s is Unicode whitespace: every space separator (no-break, ideographic, thin...) and the
# line/paragraph separators that leak from HTML text nodes, so one pattern folds them all.
_WHITESPACE = re.compile(r"\s+")

# Typographic punctuation mapped to ASCII so "Xi’s" and "Xi's" compare equal.
_FOLD_TABLE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)
_PUNCTUATION = regex.compile(r"[\p{P}]+")

# A credit line as printed under an image or at the end of a body: a label then the credit. Shared with
# media.py (which strips the label) so both agree on what a credit looks like.
CREDIT_LABELS = (
    r"photo\s+credits?|image\s+credits?|picture\s+credits?|photos?|photograph(?:y|s)?|pictures?|pics?|images?"
    r"|credits?|fotos?|fotografie|bild(?:er|quelle)?|quelle|cr[ée]dits?\s+photos?|cr[ée]dits?|fot[óo]|fot\."
    r"|zdj[ęe]cie|zdj[ęe]cia|fuente|fonte|source|illustration|grafik|copyright"
    # Cyrillic, Greek, Turkish, Nordic, Dutch, Czech labels: credits are labelled in the page's own language.
    r"|фото(?:графия)?|источник|иллюстрация|φωτογραφία|φωτο|kaynak|fotoğraf|billede|kuva|bron|zdroj"
)
CREDIT_LINE = re.compile(
    rf"^(?:(?:{CREDIT_LABELS})\s*[:：]|©|\(c\)\s|photo\s+by\s|photograph\s+by\s|courtesy\s+of\s)",
    re.IGNORECASE,
)
_CREDIT_LINE_MAX_WORDS = 15

# Page chrome that extractors keep between paragraphs. Matched on fold_for_compare() keys, only on short
# lines: a real paragraph that happens to start with "Read more" is long and survives.
_CHROME_EXACT = frozenset(
    {
        # en
        "leave a comment",
        "leave a reply",
        "comments",
        "comment",
        "show comments",
        "view comments",
        "scroll to top",
        "back to top",
        "top",
        "share this article",
        "share this",
        "share",
        "share this story",
        "share on facebook",
        "share on twitter",
        "share on whatsapp",
        "share via email",
        "tweet",
        "email",
        "print",
        "print this article",
        "advertisement",
        "advertising",
        "ad",
        "sponsored",
        "sponsored content",
        "read more",
        "read next",
        "continue reading",
        "related",
        "related articles",
        "related stories",
        "more stories",
        "more on this story",
        "you may also like",
        "recommended",
        "most read",
        "trending",
        "sign up for our newsletter",
        "subscribe to our newsletter",
        "subscribe",
        "newsletter",
        "skip to content",
        "skip to main content",
        "click here",
        "hide caption",
        "toggle caption",
        "enlarge this image",
        "image",
        "loading",
        "open in app",
        "listen to this article",
        "copy link",
        "link copied",
        "follow us",
        "topics",
        "tags",
        "watch",
        "video",
        "play video",
        "accept cookies",
        "order reprints",
        "print article",
        "thank you",
        "thanks for signing up",
        "sorry",
        "don't miss",
        "dont miss",
        "tell us what you think",
        "this article has been sent to",
        "an error has occurred please try again later",
        "there was an error processing your subscription",
        "keep an eye on your inbox for the latest news",
        "keep an eye on your inbox for the latest sports news",
        # de
        "anzeige",
        "werbung",
        "lesen sie auch",
        "lesen sie mehr",
        "mehr zum thema",
        "artikel teilen",
        "teilen",
        "kommentare",
        "kommentieren",
        "newsletter abonnieren",
        "jetzt abonnieren",
        "nach oben",
        "zum seitenanfang",
        "weiterlesen",
        "auch interessant",
        "das könnte sie auch interessieren",
        "drucken",
        "empfehlen",
        "artikel merken",
        "zur startseite",
        # fr
        "publicité",
        "lire aussi",
        "à lire aussi",
        "lire la suite",
        "partager",
        "partager cet article",
        "commentaires",
        "abonnez-vous",
        "abonnez vous",
        "retour en haut",
        "voir aussi",
        "sur le même sujet",
        # es / pt / it
        "publicidad",
        "lee también",
        "leer más",
        "compartir",
        "comentarios",
        "suscríbete",
        "ver también",
        "te puede interesar",
        "publicidade",
        "leia também",
        "leia mais",
        "compartilhe",
        "comentários",
        "pubblicità",
        "leggi anche",
        "condividi",
        "commenti",
        "iscriviti alla newsletter",
        # nl / pl / nordic / ru
        "advertentie",
        "lees ook",
        "lees meer",
        "delen",
        "reacties",
        "reklama",
        "czytaj także",
        "czytaj też",
        "czytaj więcej",
        "udostępnij",
        "komentarze",
        "annons",
        "läs också",
        "läs mer",
        "dela",
        "annonse",
        "les også",
        "del",
        "реклама",
        "читайте также",
        "поделиться",
        "комментарии",
    }
)
_CHROME_PREFIX = regex.compile(
    r"^(?:also read|read also|read more|see also|related|more from|follow us on|follow us|sign up for"
    r"|sign up to|subscribe to our|subscribe to the|get our newsletter|share on|click here|lesen sie auch"
    r"|lesen sie hier|mehr zum thema|folgen sie uns|lire aussi|à lire aussi|lire également|suivez-nous"
    r"|suivez nous|lee también|leer también|lea también|síguenos|leia também|leggi anche|seguici"
    r"|lees ook|volg ons|czytaj także|czytaj też|zobacz też|läs också|les også|читайте также"
    r"|this copy is for your personal non commercial use)(?:\s|$)"
)
# A newsletter promotion: an offer to sign up, in a short line ("Sign up for X to get the free daily
# newsletter delivered to your inbox").
_NEWSLETTER_PROMO = re.compile(
    r"\b(?:sign\s*up|subscribe)\b.{0,80}\bnewsletters?\b|\bnewsletters?\b.{0,60}\b(?:sign\s*up|subscribe)\b"
    r"|\bdelivered (?:straight )?to your inbox\b",
    re.IGNORECASE,
)
_PROMO_MAX_WORDS = 40
# Lines matched as printed (fold_for_compare drops the "@" they hinge on): a CMS shortcode the theme failed
# to render ("[button ...]...[/button]"), a contact line, a social prompt. Bare links and copyright lines
# stay: lists of links and agency copyrights are part of some stories (measured on the AEB set).
_SHORTCODE = re.compile(r"^\[\w[^\]]*\].*\[/\w+\]$")
_CONTACT_OR_FOLLOW = re.compile(
    r"^(?:(?:write to|contact|email|e-mail)\s.{0,60}?\S+@\S+\.\w+\.?$|follow\s+(?:us\s+)?@\w)", re.IGNORECASE
)
_CHROME_PREFIX_MAX_WORDS = 15
_COOKIE_NOTICE = regex.compile(
    r"^(?:we use cookies|this (?:web)?site uses cookies|by continuing to (?:use|browse)|wir verwenden cookies"
    r"|diese (?:web)?seite verwendet cookies|diese website verwendet cookies|ce site utilise des cookies"
    r"|nous utilisons des cookies|utilizamos cookies|este sitio (?:web )?utiliza cookies"
    r"|utilizziamo (?:i )?cookie"
    r"|questo sito utilizza (?:i )?cookie|wij gebruiken cookies|deze website gebruikt cookies)"
)
_COOKIE_NOTICE_MAX_WORDS = 40

_TITLE_SUFFIX = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|/)\s+(?P<affix>[^|–—·•»]+?)\s*$")
_TITLE_PREFIX = re.compile(r"^(?P<affix>[^|–—·•»:]+?)(?:\s+(?:\||-|–|—|::|·|•|»)\s+|:\s+)")
_DOMAIN_LIKE = re.compile(r"^(?:www\d?\.)?(?P<label>[a-z0-9-]+)(?:\.[a-z0-9-]+)+$")

# Scripts written without spaces between words: each character counts as one word.
_UNSPACED_CHAR = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}]")
_WORD = re.compile(r"\S+")


def clean_text(s: str) -> str:
    """NFC, no zero-width characters or soft hyphens, every run of whitespace one space, stripped."""
    s = unicodedata.normalize("NFC", s)
    s = _INVISIBLE.sub("", s)
    return _WHITESPACE.sub(" ", s).strip()


def fold_for_compare(s: str) -> str:
    """A key under which two strings that differ only in case, typography or punctuation are equal."""
    s = unicodedata.normalize("NFKC", _INVISIBLE.sub("", s)).casefold().translate(_FOLD_TABLE)
    s = _PUNCTUATION.sub(lambda m: " " if m.group() in ("-", "/", "...") else "", s)
    return _WHITESPACE.sub(" ", s).strip()


def _is_chrome(line: str) -> bool:
    """Whether a cleaned line is page chrome (share prompts, ads, newsletter boxes, cookie notices)."""
    words = len(line.split())
    if words > _COOKIE_NOTICE_MAX_WORDS:
        return False
    if _SHORTCODE.match(line) or _CONTACT_OR_FOLLOW.match(line):
        return True
    if words <= _PROMO_MAX_WORDS and _NEWSLETTER_PROMO.search(line):
        return True
    key = fold_for_compare(line)
    if key in _CHROME_EXACT:
        return True
    if words <= _CHROME_PREFIX_MAX_WORDS and _CHROME_PREFIX.match(key):
        return True
    return _COOKIE_NOTICE.match(key) is not None


def _is_credit_line(line: str) -> bool:
    return len(line.split()) <= _CREDIT_LINE_MAX_WORDS and CREDIT_LINE.match(line) is not None


def clean_body(
    paragraphs: Sequence[str],
    *,
    title: str | None = None,
    description: str | None = None,
    captions: Sequence[str] = (),
    credits: Sequence[str] = (),
) -> list[str]:
    """The body paragraphs worth keeping, cleaned, in order.

    Drops empty paragraphs, repeats of the title / description / a caption / a credit, credit lines
    ("Photo: X"), short page-chrome lines ("Share this article", "Anzeige", cookie notices) and a paragraph
    that repeats the one before. A paragraph holding several lines (a naive extractor's block) loses its
    chrome lines one by one, so "Leave a comment\\nscroll to top" disappears whole.
    """
    known = {fold_for_compare(s) for s in (title, description, *captions, *credits) if s}
    known.discard("")
    kept: list[str] = []
    previous_key: str | None = None
    for raw in paragraphs:
        if not raw:
            continue
        lines = [clean_text(line) for line in raw.splitlines()] if "\n" in raw or "\r" in raw else [raw]
        if len(lines) > 1:
            lines = [line for line in lines if line and not _is_chrome(line) and not _is_credit_line(line)]
        paragraph = clean_text(" ".join(lines))
        if not paragraph or _is_chrome(paragraph) or _is_credit_line(paragraph):
            continue
        key = fold_for_compare(paragraph)
        if not key or key in known or key == previous_key:
            continue
        kept.append(paragraph)
        previous_key = key
    return kept


def _name_keys(name: str) -> set[str]:
    """Keys under which a site name matches: folded, folded without spaces, and a domain's main label."""
    folded = fold_for_compare(name)
    keys = {folded, folded.replace(" ", "")}
    domain = _DOMAIN_LIKE.match(name.strip().lower())
    if domain:
        keys.add(domain.group("label").replace("-", ""))
    keys.discard("")
    return keys


def strip_title_affixes(title: str, site_names: Sequence[str]) -> str:
    """The title without a " | Site" suffix or "Site: " prefix naming one of the site's declared names.

    Only names the page gives itself count (og:site_name, publisher): without a match nothing is cut,
    and nothing is cut that would leave the title empty.
    """
    title = clean_text(title)
    site_keys: set[str] = set()
    for name in site_names:
        if name:
            site_keys |= _name_keys(name)
    if not site_keys:
        return title
    changed = True
    while changed:
        changed = False
        suffix = _TITLE_SUFFIX.search(title)
        if suffix and _name_keys(suffix.group("affix")) & site_keys:
            rest = title[: suffix.start()].strip()
            if fold_for_compare(rest):
                title, changed = rest, True
                continue
        prefix = _TITLE_PREFIX.match(title)
        if prefix and _name_keys(prefix.group("affix")) & site_keys:
            rest = title[prefix.end() :].strip()
            if fold_for_compare(rest):
                title, changed = rest, True
    return title


def count_words(text: str) -> int:
    """Whitespace-separated words, each Chinese/Japanese/Thai-family character counting as one word."""
    unspaced = len(_UNSPACED_CHAR.findall(text))
    if unspaced:
        text = _UNSPACED_CHAR.sub(" ", text)
    return unspaced + len(_WORD.findall(text))
