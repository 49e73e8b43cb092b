"""Author normalisation: bylines to person names as printed, organisations only when no person is credited."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newscrawl.normalize.text import clean_text, fold_for_compare

__all__ = ["clean_authors", "opens_with_author_label", "split_authors"]

MAX_NAME_WORDS = 6
"""A longer segment is a sentence that leaked into the byline, not a name."""

# A URL ends at a closing bracket: "Deutsche Welle (www.dw.com)" keeps its name whole.
_URL = re.compile(r"(?:https?://|www\.)[^\s()\[\]]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}")
# Dates and times that CMSs glue to the byline ("By Jane Doe | March 21, 2023 10:15 AM").
_DATE_OR_TIME = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"
    r"|\b\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:Uhr|h|[A-Z]{2,4}))?\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\b\d{1,2}\.?\s+[A-Za-zäéû]+\.?\s+\d{4}\b"
    r"|\b(?:updated|published|posted|aktualisiert|veröffentlicht|publié|mis à jour|publicado|actualizado)"
    r"\b.*$",
    re.IGNORECASE,
)
# Split points between credited names: punctuation, and "and" in the languages newscrawl meets. Lower-case
# only, so initials such as "E." or a capitalised "Y" inside a name are never split on.
_SPLIT = re.compile(
    r"\s*[,;|·•/&+]\s*|\s+(?:and|und|et|y|e|en|i|och|og|ja|with|mit|avec|con|com|met|oraz|и)\s+|\s+[-–—]\s+"
)
_PARENTHESIS = re.compile(r"\s*[(\[](?P<inner>[^)\]]*)[)\]]")
# An editor's short code ("Petra Lindner (pli.)", "(obe)"): newsrooms sign with these, they name no one.
_KUERZEL = re.compile(r"^[a-zäöüß]{2,5}\.?$")
# "By", "Von", "Text:" ...: the label before a name. "Di"/"Da" only before a full name (see _strip_prefix).
_PREFIX = re.compile(
    r"^(?:(?:written|reported|posted|words|story|text|compiled|edited)\s+by|by|von|vom|por|par|door|av|af"
    r"|från|od|autor(?:in)?|author|auteur|text|texte|texto|testo|tekst|reporting|interview"
    r"|from|de)\s*[:：]?\s+|^(?:text|autor(?:in)?|author|auteur|texte|texto|tekst|reporting|redaktion|quelle|source|fuente|fonte"
    r"|bron|kilde|källa)\s*[:：]\s*",
    re.IGNORECASE,
)
# A printed field that opens by naming its author ("Autorin/Autor Roman G.", "Text: A. B.", "By Jane Doe"),
# followed by a capital: "By the numbers" is a heading, not a byline. Narrower than _PREFIX on purpose: that
# one strips labels from text already known to be a byline, where "de", "from" or "interview" are safe to drop;
# this one decides whether a line is a byline at all.
_OPENING_AUTHOR_LABEL = re.compile(
    r"^(?:autor(?:in)?(?:\s*/\s*autor(?:in)?)?|autoren|authors?|auteure?s?|autore|autori|text|texte|texto|testo"
    r"|tekst|(?:written|reported)\s+by|by|von|por|par|door|av|af)\s*[:：]?\s+(?=\S)",
    re.IGNORECASE,
)
_LEADING_CONJUNCTION = re.compile(r"^(?:and|und|et|y|e|en|i|och|og|ja|with|mit|avec|con|com|met|oraz|и)\s+")
_BARE_LABEL = re.compile(
    r"^(?:by|von|por|par|door|av|af|di|da|de|text|autor|autorin|author|auteur|from)$", re.IGNORECASE
)
_DOMAIN_LIKE = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$")
_SIGNED_WITH_ADDRESS = re.compile(r"[(\[]\s*(?:https?://|www\.)[^\s()\[\]]+\s*[)\]]", re.IGNORECASE)
MAX_NAME_CHARS = 80
_ITALIAN_BY = re.compile(r"^(?:di|da)\s+(?=\S+\s+\S)", re.IGNORECASE)
# Credits of something other than the text: dropped whole.
_NOT_AUTHOR_LABEL = re.compile(
    r"^(?:photos?|fotos?|bilder?|pictures?|images?|illustrations?|grafik|graphics?|video|kamera|camera"
    r"|additional reporting|mitarbeit|translated|übersetzung|traduction)\b\s*(?:by|von|par)?\s*[:：]?",
    re.IGNORECASE,
)
_ROLE_WORDS = frozenset(
    {
        "staff", "writer", "writers", "reporter", "reporters", "correspondent", "correspondents", "editor",
        "editors", "columnist", "contributor", "contributors", "journalist", "journalists", "freelance",
        "freelancer", "redakteur", "redakteurin", "korrespondent", "korrespondentin", "reporterin",
        "journalistin", "autorin", "volontär", "volontärin", "rédacteur", "rédactrice", "journaliste",
        "envoyé", "envoyée", "correspondant", "correspondante", "corresponsal", "redactor", "redactora",
        "periodista", "giornalista", "inviato", "inviata", "corrispondente", "redacteur", "verslaggever",
        "dziennikarz", "dziennikarka", "repórter", "jornalista", "redaktør",
        "reportrar", "reporteri", "toimittaja", "корреспондент", "журналист", "photographer",
        "fotograf", "fotografin", "analyst", "host", "producer", "anchor",
    }
)
_ROLE_MODIFIERS = frozenset(
    {
        "senior", "chief", "deputy", "associate", "assistant", "contributing", "special", "political",
        "foreign", "business", "economics", "science", "sports", "sport", "tech", "technology", "health",
        "investigative", "managing", "executive", "news", "digital", "online", "opinion", "culture", "legal",
        "diplomatic", "white", "house", "washington", "europe", "asia", "africa", "middle", "east", "staff",
        "leitender", "leitende", "freier", "freie", "grand", "principal", "general", "global", "national",
        "international", "local", "city", "metro", "desk", "a", "an", "our", "the", "de", "del", "la", "le",
    }
)
# Bylines naming a newsroom, not a person: kept only when nobody else is credited.
_ORGANISATION_WORDS = re.compile(
    r"\b(?:staff|newsroom|news\s+desk|desk|redaktion|rédaction|redacción|redazione|redactie|redakcja|toimitus"
    r"|team|agency|agencies|agentur|agence|agencia|press|presse|news|media|wire|service|times|post|online"
    r"|zeitung|journal|tribune|herald|gazette|daily|magazine|associated|bloomberg|reuters)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-Z]{2,6}(?:-[A-Z]{2,6})?$|^[a-z]{2,4}$")
# "and agencies": filler that credits no one.
_FILLER = frozenset(
    {"agencies", "agency", "wires", "wire", "news agencies", "agenturen", "agences", "agencias", "agenzie",
     "staff", "staff and agencies", "others", "more", "ap and other agencies", "and agencies"}
)
_PLACE_PREPOSITIONS = frozenset({"in", "for", "at", "aus", "à", "en", "a", "für", "w", "i", "em"})
# A preposition left dangling once a date is cut out ("Jane Doe on <date>").
_DANGLING_WORD = re.compile(r"\s+(?:on|am|le|el|at|um|il|op|den|the|du|vom|em|w)$", re.IGNORECASE)
_EDGE_PUNCTUATION = re.compile(r"^[\s\-–—:,.;'\"“”‘’*]+|[\s\-–—:,;'\"“”‘’*]+$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


def _strip_prefix(segment: str) -> str:
    for _ in range(2):
        stripped = _LEADING_CONJUNCTION.sub("", _PREFIX.sub("", segment, count=1), count=1)
        stripped = _ITALIAN_BY.sub("", stripped, count=1)
        if stripped == segment:
            break
        segment = stripped
    return segment


def _strip_role(segment: str) -> str:
    """The name without a role ("Jane Doe, Staff Writer" arrives as "Staff Writer" and becomes empty)."""
    words = segment.split()
    lowered = [word.lower().strip(".,") for word in words]
    for index, word in enumerate(lowered):
        if word in _ROLE_WORDS:
            start = index
            while start > 0 and lowered[start - 1] in _ROLE_MODIFIERS:
                start -= 1
            if start == 0:
                # The role leads ("Reporter Jane Doe" is rare; "Senior Correspondent in Moscow" is common):
                # keep what follows only when it is not a place after "in"/"for".
                end = index + 1
                while end < len(words) and (lowered[end] in _ROLE_WORDS or lowered[end] in _ROLE_MODIFIERS):
                    end += 1
                rest = words[end:]
                if rest and rest[0].lower() in _PLACE_PREPOSITIONS:
                    return ""
                return " ".join(rest)
            return " ".join(words[:start])
    return segment


def _looks_like_prose(name: str) -> bool:
    """Too long for a name, or a phrase of mostly lower-case words ("This article was produced")."""
    words = name.split()
    if len(words) > MAX_NAME_WORDS or len(name) > MAX_NAME_CHARS:
        return True
    # Role words are lower case in an organisation's byline ("Courier staff reporter"): not prose.
    lower = sum(1 for word in words if word[:1].islower() and word.lower() not in _ROLE_WORDS)
    return len(words) >= 3 and lower * 2 > len(words)


def _is_organisation(name: str, site_keys: set[str]) -> bool:
    key = fold_for_compare(name)
    return (
        key in site_keys
        or key.replace(" ", "") in site_keys
        or _ACRONYM.match(name) is not None
        or _DOMAIN_LIKE.match(name) is not None
        or _ORGANISATION_WORDS.search(name) is not None
    )


def _segments(byline: str) -> list[str]:
    """A byline cut into candidate names, parentheses ("Jane DOE (AFP)") becoming their own segments,
    except an editor's code ("(obe)") next to a name."""
    text = _URL.sub(" ", byline)
    text = _EMAIL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _DATE_OR_TIME.sub(" ", text)
    extra = [m["inner"] for m in _PARENTHESIS.finditer(text)]
    text = _PARENTHESIS.sub(" ", text)
    text = clean_text(text)
    if text and fold_for_compare(text) not in _FILLER:
        extra = [inner for inner in extra if not _KUERZEL.match(inner.strip())]
    text = _strip_prefix(text)
    return [*_SPLIT.split(text), *extra]


def _name_of(segment: str, site_keys: set[str]) -> str:
    """The name a segment credits, without labels and roles. A role after a newsroom's name ("VNT Staff",
    "Courier staff reporter") stays: what is left is no person (one word, or an organisation), and the
    role words are part of how the newsroom signs."""
    segment = _strip_prefix(segment.strip())
    without_role = _strip_role(segment)
    if (
        without_role != segment
        and without_role
        and segment.lower().startswith(without_role.lower())
        and (" " not in without_role or _is_organisation(without_role, site_keys))
    ):
        without_role = segment
    name = _EDGE_PUNCTUATION.sub("", without_role)
    return _EDGE_PUNCTUATION.sub("", _DANGLING_WORD.sub("", _strip_prefix(name)))


def split_authors(raw: Sequence[str], *, site_names: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """(people, organisations) credited by raw bylines, each in order, de-duplicated without regard to case.

    Removes labels ("By", "Von", "Por", "Text:"), roles ("Staff Writer", "Senior Correspondent in X"),
    e-mails, handles, URLs, dates and editors' codes in parentheses ("(obe)"); splits on commas, "&", ";",
    "|", "/" and "and" in many languages. Wire agencies, "Staff", a newsroom and the site itself are
    organisations. A capitalised single word after a full name or an organisation in the same byline is
    where they wrote from ("example.de, Frankfurt, Germany", "Von Erika Muster, Frankfurt"), not a
    person: people are credited with their full names. Every name keeps its printed form, capitals included.
    """
    site_keys: set[str] = set()
    for name in site_names:
        if name:
            folded = fold_for_compare(name)
            site_keys |= {folded, folded.replace(" ", "")}
    people: list[str] = []
    organisations: list[str] = []
    seen: set[str] = set()
    for byline in raw:
        if not byline or not isinstance(byline, str):
            continue
        after_name = False
        # "Deutsche Welle (www.dw.com)": a byline signed with a web address is a publisher's, not a person's.
        signed_by_website = _SIGNED_WITH_ADDRESS.search(byline) is not None
        for segment in _segments(clean_text(byline)):
            if _NOT_AUTHOR_LABEL.match(segment.strip()):
                continue
            name = _name_of(segment, site_keys)
            if not name or not _HAS_LETTER.search(name) or _DIGIT.search(name):
                continue
            if _BARE_LABEL.match(name) or _looks_like_prose(name) or fold_for_compare(name) in _FILLER:
                continue
            is_organisation = signed_by_website or _is_organisation(name, site_keys)
            if after_name and not is_organisation and " " not in name and name[:1].isupper():
                continue
            after_name = is_organisation or " " in name
            key = fold_for_compare(name)
            if key in seen:
                continue
            seen.add(key)
            (organisations if is_organisation else people).append(name)
    return people, organisations


def opens_with_author_label(text: str) -> bool:
    """Whether a printed text opens with a word naming who wrote it, then a capitalised name."""
    match = _OPENING_AUTHOR_LABEL.match(text)
    return match is not None and text[match.end()].isupper()


def clean_authors(raw: Sequence[str], *, site_names: Sequence[str] = ()) -> list[str]:
    """Person names from raw bylines (see :func:`split_authors`); the organisations only when no person
    is credited."""
    people, organisations = split_authors(raw, site_names=site_names)
    return people or organisations
