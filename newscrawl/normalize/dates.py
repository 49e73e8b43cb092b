"""Date normalisation: printed dates to ISO 8601, timezone kept, and the choice of published/modified."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateparser.data.languages_info import language_order as _DATEPARSER_LANGUAGE_ORDER
from dateparser.date import DateDataParser

from newscrawl.normalize.text import clean_text

__all__ = [
    "DateChoice",
    "ParsedDate",
    "apply_timezone",
    "choose_dates",
    "date_from_url",
    "parse_date",
]

MIN_YEAR = 1990
"""Earlier years are CMS placeholders (1970 epochs, "0001-01-01"), not news."""
CLOCK_SKEW = timedelta(days=1)
"""How far after the fetch a date may lie: a site's timezone and clock may be ahead of ours."""
MAX_DATE_CHARS = 100
"""A longer string is prose, not a date: dateparser would spend tens of milliseconds failing on it."""


@dataclass(frozen=True)
class ParsedDate:
    """A date as normalised. ``iso`` is ``YYYY-MM-DDTHH:MM:SS+HH:MM``, ``YYYY-MM-DDTHH:MM:SS`` (naive, local
    time of the site) or ``YYYY-MM-DD`` (day only)."""

    value: datetime | date
    iso: str
    has_time: bool
    has_offset: bool
    ambiguous: bool
    """True when day and month could be swapped and the order was guessed (see ``parse_date``)."""
    raw: str
    """The string as given, for ``*_raw``."""


@dataclass
class DateChoice:
    """The published and modified dates chosen among a page's candidates, with their sources.

    ``flags`` maps ``published_at`` / ``modified_at`` to one of ``"ambiguous"`` (day/month order guessed),
    ``"unparseable"`` (candidates existed, none parsed) or ``"before_published"`` (a modified date earlier
    than the published one was dropped).
    """

    published: ParsedDate | None
    published_source: str | None
    modified: ParsedDate | None
    modified_source: str | None
    flags: dict[str, str] = field(default_factory=dict)


# --- fast paths: machine formats, no dateparser ---

_ISO = re.compile(
    r"^(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[T\s](?P<H>\d{2})(?::?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,]\d+)?)?)?)?"
    r"\s*(?P<tz>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$"
)
_EPOCH_SECONDS = re.compile(r"^\d{9,10}(?:\.\d+)?$")
_EPOCH_MILLISECONDS = re.compile(r"^\d{12,13}$")
_RFC2822 = re.compile(r"^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")

# --- text paths ---

_LABEL_QUALIFIER = r"(?:(?:first|last|originally|zuletzt|laatst|dernière)\s+)?"
# Words that name a date as the publication or update date, in the languages of the registry's sites.
_DATE_LABEL_WORDS = (
    r"published|updated|modified|posted|created|released|dated?|last\s+updated|"
    r"aktualisiert|veröffentlicht|erschienen|erstellt|geändert|stand|datum|publié|publiée|mis\s+à\s+jour|"
    r"mise\s+à\s+jour|modifié|publicado|publicada|actualizado|actualizada|modificado|atualizado|atualizada|"
    r"pubblicato|aggiornato|gepubliceerd|bijgewerkt|gewijzigd|opublikowano|zaktualizowano|aktualizacja|"
    r"publikováno|aktualizováno|publicerad|publicerat|uppdaterad|uppdaterat|publiceret|opdateret|publisert|"
    r"oppdatert|julkaistu|päivitetty|опубликовано|обновлено|yayınlanma|güncelleme"
)
_LABEL_PREPOSITION = r"(?:\s+(?:on|am|le|el|il|op|den|at|à|de|em|in|i|kl\.?)\b)?"
# Words that introduce a date in bylines: they defeat dateparser, so they go first (repeatedly).
_LEADING_LABEL = re.compile(
    rf"^{_LABEL_QUALIFIER}(?:{_DATE_LABEL_WORDS}|time|on|am|le|el|op|den){_LABEL_PREPOSITION}"
    r"(?:\s*[:：]\s*|\s+|(?=\d))",
    re.IGNORECASE,
)
# A printed field that opens with a date label ("Datum 28.04.2023", "Published: 3 March 2024"); stricter than
# _LEADING_LABEL, which also strips prepositions ("am", "le") that open ordinary sentences too.
_OPENING_DATE_LABEL = re.compile(
    rf"^{_LABEL_QUALIFIER}(?:{_DATE_LABEL_WORDS}){_LABEL_PREPOSITION}(?:\s*[:：]\s*|\s+)(?=\S)", re.IGNORECASE
)
# "Published 20 March ... Updated 21 March": a published string keeps its first part only.
_LATER_SECTION = re.compile(
    r"\s*[|•·,;/(-]?\s*\b(?:updated|last\s+updated|modified|aktualisiert|geändert|mis\s+à\s+jour|modifié|"
    r"actualizado|atualizado|aggiornato|bijgewerkt|zaktualizowano|uppdaterad|oppdatert|обновлено)\b.*$",
    re.IGNORECASE,
)
_SEGMENT_SEPARATOR = re.compile(r"\s+[|•·]\s+")
# "Uhr"/"uur" after a time only: "2 uur geleden" is a relative date dateparser reads.
_UHR = re.compile(r"(?<=\d)\s*Uhr\b\.?|(?<=[:.]\d\d)\s*(?:uur|hrs|hs)\b\.?", re.IGNORECASE)
# Words that introduce the time of day ("kl. 14.05", "um 14:05", "à 14h05"): dateparser stumbles on some.
_AT_TIME = re.compile(
    r"\s+(?:kl\.?|klo|klockan|klokken|um|at|à|às|a\s+las|alle|om|o\s+godz\.?|o)\s*(?=\d{1,2}\s?[:.h])",
    re.IGNORECASE,
)
_FRENCH_TIME = re.compile(r"\b(\d{1,2})\s?h\s?(\d{2})\b")
_FRENCH_HOUR = re.compile(r"\b(\d{1,2})\s?h\b(?!\s?\d)")
_TRAILING_H = re.compile(r"(\d{1,2}:\d{2})\s*h\b")
_TRAILING_PUNCT = re.compile(r"[\s.,;:–—-]+$")
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_HAS_DIGIT = re.compile(r"\d")
_TRAILING_CLAUSE = re.compile(r"\s*[,;|•·]\s*[^,;|•·]*$")
_MAX_TRAILING_CLAUSES = 3
_NUMERIC_AT_START = re.compile(
    r"^(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})\.?"
    r"(?:,?\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?\s?m\.?)?)?(?=\s+[^\W\d])",
    re.IGNORECASE,
)
_HAS_DIGIT_OR_LETTER = re.compile(r"\w")

# Offsets that name one fixed offset. Ambiguous abbreviations (IST, AST, BST in some uses) are left out on
# purpose: a wrong offset is worse than none.
_FIXED_ZONES = {
    "UTC": 0,
    "GMT": 0,
    "UT": 0,
    "Z": 0,
    "WET": 0,
    "WEZ": 0,
    "CET": 60,
    "MEZ": 60,
    "WEST": 60,
    "BST": 60,
    "CEST": 120,
    "MESZ": 120,
    "EET": 120,
    "OEZ": 120,
    "SAST": 120,
    "EEST": 180,
    "OESZ": 180,
    "MSK": 180,
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "AKDT": -480,
    "HST": -600,
    "JST": 540,
    "KST": 540,
    "HKT": 480,
    "SGT": 480,
    "AWST": 480,
    "ACST": 570,
    "ACDT": 630,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "WIB": 420,
    "PKT": 300,
}
# Names of a zone whose offset changes with DST: the wall time is localised in the zone itself.
_GENERIC_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
_TRAILING_ZONE = re.compile(
    r"(?:\s+|(?<=\d))\(?(?P<abbr>[A-Z]{1,5})\)?\s*$"
    r"|\s*(?:GMT|UTC)?\s*(?P<sign>[+-])(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?\s*$"
)
_TRAILING_OFFSET_NEEDS_TIME = re.compile(
    r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:GMT|UTC)?\s*[+-]", re.I
)

_NUMERIC_DMY = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})\.?"
    r"(?:(?:,\s*|\s+)(?:um\s+|at\s+|à\s+|a\s+las\s+|alle\s+|om\s+|kl\.?\s*|o\s+|-\s+)?"
    r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?)?$",
    re.IGNORECASE,
)
_NUMERIC_YMD = re.compile(
    r"^(?P<y>\d{4})(?P<sep>[./-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})\.?"
    r"(?:(?:,\s*|\s+|T)(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?)?$",
    re.IGNORECASE,
)
_CJK = re.compile(
    r"^(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]?"
    r"(?:\s*[（(][^）)]{1,4}[）)])?"
    r"(?:\s*(?P<half>午前|午後|上午|下午|오전|오후)?\s*(?P<H>\d{1,2})\s*[時时시:]\s*(?:(?P<M>\d{1,2})\s*[分분]?)?"
    r"(?:\s*(?P<S>\d{1,2})\s*[秒초]?)?)?$"
)
_CJK_PM = frozenset({"午後", "下午", "오후"})

# Languages whose readers write numeric dates month first when no site date order is known.
_MONTH_FIRST_LANGUAGES = frozenset({"en"})
_DATEPARSER_LANGUAGES = frozenset(_DATEPARSER_LANGUAGE_ORDER)
_DATE_ORDERS = frozenset({"DMY", "MDY", "YMD", "YDM", "DYM", "MYD"})

# --- URL dates ---

_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})(?P<sep>[/-])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?=[/_.-]|$)"
    r"|/(?P<cy>(?:19|20)\d{2})(?P<cm>[01]\d)(?P<cd>[0-3]\d)(?=[/_.-]|$)"
)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown IANA timezone {name!r}") from error


def _named_zone(abbreviation: str | None) -> tzinfo | None:
    """The tzinfo a printed zone abbreviation names ("CET", "ET"), or None for an unknown or ambiguous one."""
    if abbreviation in _FIXED_ZONES:
        return timezone(timedelta(minutes=_FIXED_ZONES[abbreviation]))
    if abbreviation in _GENERIC_ZONES:
        return _zone(_GENERIC_ZONES[abbreviation])
    return None


def _as_fixed_offset(value: datetime) -> datetime:
    """The same wall time with a plain fixed-offset tzinfo, whatever tzinfo the parser produced."""
    offset = value.utcoffset()
    if offset is None:
        return value
    return value.replace(tzinfo=timezone(offset))


def _make(value: datetime | date, raw: str, ambiguous: bool = False) -> ParsedDate:
    if isinstance(value, datetime):
        value = _as_fixed_offset(value.replace(microsecond=0))
        return ParsedDate(
            value, value.isoformat(timespec="seconds"), True, value.tzinfo is not None, ambiguous, raw
        )
    return ParsedDate(value, value.isoformat(), False, False, ambiguous, raw)


def _plausible(value: datetime | date, fetched_at: datetime | None) -> bool:
    if value.year < MIN_YEAR:
        return False
    reference = fetched_at or datetime.now(UTC)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=UTC)
    limit = reference + CLOCK_SKEW
    if isinstance(value, datetime):
        if value.tzinfo is None:
            # A naive time is the site's wall clock: at most 14 h ahead of UTC, inside the allowance's margin.
            return value <= limit.replace(tzinfo=None)
        return value <= limit
    return value <= limit.date()


def _localise(value: datetime, tz: str | None) -> datetime:
    if tz is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=_zone(tz))


def _datetime_or_none(
    y: int, m: int, d: int, hh: int | None = None, mm: int | None = None, ss: int | None = None
) -> datetime | date | None:
    try:
        if hh is None:
            return date(y, m, d)
        return datetime(y, m, d, hh, mm or 0, ss or 0)
    except ValueError:
        return None


def _parse_fast(s: str, tz: str | None) -> datetime | date | bool | None:
    """Machine formats. Returns the value, None when the format matched but the value is impossible,
    or False when the string is not in a machine format."""
    iso = _ISO.match(s)
    if iso:
        hour = iso["H"]
        value = _datetime_or_none(
            int(iso["y"]),
            int(iso["m"]),
            int(iso["d"]),
            int(hour) if hour else None,
            int(iso["M"] or 0),
            int(iso["S"] or 0),
        )
        if not isinstance(value, datetime):
            return value
        offset = _offset(iso["tz"]) if iso["tz"] else None
        if iso["tz"] and offset is None:
            return None
        if offset is not None:
            return value.replace(tzinfo=offset)
        return _localise(value, tz)
    if _EPOCH_SECONDS.match(s) or _EPOCH_MILLISECONDS.match(s):
        seconds = float(s) / (1000 if _EPOCH_MILLISECONDS.match(s) else 1)
        # An epoch is an instant, so UTC is what it says, not an assumption.
        instant = datetime.fromtimestamp(seconds, UTC)
        return instant.astimezone(_zone(tz)) if tz else instant
    if _RFC2822.match(s):
        try:
            value = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            return None
        if value.tzinfo is None:
            trailing = _TRAILING_ZONE.search(s)
            named = _named_zone(trailing["abbr"] if trailing else None)
            return value.replace(tzinfo=named) if named is not None else _localise(value, tz)
        return value
    return False


def _offset(text: str) -> timezone | None:
    """The fixed offset an ISO string prints, or None when it is out of range (+99:99)."""
    if text in ("Z", "z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _two_digit_year(yy: int, reference: datetime | None) -> int:
    current = (reference or datetime.now(UTC)).year
    year = 2000 + yy
    return year if year <= current + 1 else year - 100


def _hour_24(hour: int, ampm: str | None) -> int:
    if not ampm:
        return hour
    pm = ampm.lower().startswith("p")
    if hour == 12:
        return 12 if pm else 0
    return hour + 12 if pm else hour


def _month_first(languages: Sequence[str] | None) -> bool:
    return bool(languages and languages[0] in _MONTH_FIRST_LANGUAGES)


def _parse_numeric(
    s: str, fetched_at: datetime | None, languages: Sequence[str] | None, date_order: str | None
) -> tuple[datetime | date | None, bool] | None:
    """Numeric dates ("21/03/2023 10:15", "2023/03/21"); day/month order by date_order, by the values, or by
    the language rule (``_MONTH_FIRST_LANGUAGES`` read month first, every other language day first)."""
    ymd = _NUMERIC_YMD.match(s)
    if ymd:
        hour = _hour_24(int(ymd["H"]), ymd["ampm"]) if ymd["H"] else None
        return _datetime_or_none(
            int(ymd["y"]), int(ymd["m"]), int(ymd["d"]), hour, int(ymd["M"] or 0), int(ymd["S"] or 0)
        ), False
    dmy = _NUMERIC_DMY.match(s)
    if not dmy:
        return None
    a, b = int(dmy["a"]), int(dmy["b"])
    year = int(dmy["y"]) if len(dmy["y"]) == 4 else _two_digit_year(int(dmy["y"]), fetched_at)
    ambiguous = False
    if date_order in ("MDY", "MYD"):
        month_first = not (a > 12 >= b)
    elif date_order in ("DMY", "DYM"):
        month_first = b > 12 >= a
    elif a > 12 or b > 12 or a == b:
        month_first = b > 12
    else:
        month_first = _month_first(languages)
        ambiguous = True
    day, month = (b, a) if month_first else (a, b)
    hour = _hour_24(int(dmy["H"]), dmy["ampm"]) if dmy["H"] else None
    return _datetime_or_none(year, month, day, hour, int(dmy["M"] or 0), int(dmy["S"] or 0)), ambiguous


def _parse_cjk(s: str) -> datetime | date | bool | None:
    match = _CJK.match(s)
    if not match:
        return False
    hour = int(match["H"]) if match["H"] else None
    if hour is not None and match["half"] in _CJK_PM and hour < 12:
        hour += 12
    return _datetime_or_none(
        int(match["y"]), int(match["m"]), int(match["d"]), hour, int(match["M"] or 0), int(match["S"] or 0)
    )


@lru_cache(maxsize=256)
def _parser(
    languages: tuple[str, ...] | None,
    date_order: str | None,
    relative_base: datetime | None,
    relative_only: bool,
) -> DateDataParser:
    """One DateDataParser per (languages, date_order); strings without a year also need the fetch time as
    their base, so those get a parser per fetch time (cheap to build, shared by a page's candidates)."""
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
        "PARSERS": ["relative-time"] if relative_only else ["absolute-time"],
    }
    if date_order:
        settings["DATE_ORDER"] = date_order
    if relative_base is not None:
        settings["RELATIVE_BASE"] = relative_base
    return DateDataParser(languages=list(languages) if languages else None, settings=settings)


def _dateparser_languages(languages: Sequence[str] | None) -> tuple[str, ...] | None:
    if not languages:
        return None
    known = tuple(dict.fromkeys(lang.lower() for lang in languages if lang.lower() in _DATEPARSER_LANGUAGES))
    return known or None


def _strip_labels(s: str) -> str:
    for _ in range(4):
        stripped = _LEADING_LABEL.sub("", s, count=1)
        if stripped == s:
            break
        s = stripped
    return s


def opens_with_date_label(text: str) -> bool:
    """Whether a printed text opens with a word naming it a publication or update date ("Datum", "Published:")."""
    return _OPENING_DATE_LABEL.match(text) is not None


def _prepare(s: str) -> str:
    """A cleaned (``clean_text``) date string reduced to its first dated segment, labels and clock words out."""
    segments = _SEGMENT_SEPARATOR.split(s)
    s = next(
        (seg for seg in (_strip_labels(seg) for seg in segments) if _HAS_DIGIT_OR_LETTER.search(seg)), ""
    )
    cut = _LATER_SECTION.sub("", s)
    if cut and cut != s and _HAS_DIGIT_OR_LETTER.search(cut):
        s = cut
    s = _UHR.sub("", s)
    s = _AT_TIME.sub(" ", s)
    s = _TRAILING_H.sub(r"\1", s)
    s = _FRENCH_TIME.sub(r"\1:\2", s)
    s = _FRENCH_HOUR.sub(r"\1:00", s)
    return _TRAILING_PUNCT.sub("", s).strip()


def _split_zone(s: str) -> tuple[str, tzinfo | None]:
    """The string without a trailing zone and the zone's tzinfo; ``(s, None)`` when it prints none."""
    match = _TRAILING_ZONE.search(s)
    if not match:
        return s, None
    head = s[: match.start()].rstrip(" ,")
    if match["abbr"] is not None:
        named = _named_zone(match["abbr"])
        return (head, named) if named is not None else (s, None)
    # A bare "-05" after a date (not a time) is part of the date, not an offset.
    if not _TRAILING_OFFSET_NEEDS_TIME.search(s):
        return s, None
    minutes = int(match["oh"]) * 60 + int(match["om"] or 0)
    if minutes > 14 * 60:
        return s, None
    sign = -1 if match["sign"] == "-" else 1
    return head, timezone(sign * timedelta(minutes=minutes))


def parse_date(
    raw: str,
    *,
    fetched_at: datetime | None = None,
    timezone: str | None = None,
    languages: Sequence[str] | None = None,
    date_order: str | None = None,
) -> ParsedDate | None:
    """A printed date as a ``ParsedDate``, or None when it is no plausible date.

    Machine formats (ISO 8601, RFC 2822, epoch seconds/milliseconds) are read without dateparser. Text has
    its leading words ("Published", "Stand:", "Publié le"...) and trailing "Uhr" removed, then goes through
    one cached ``DateDataParser`` per (languages, date_order); pass ``languages`` whenever known.

    Timezones: an offset or zone printed in the string is kept as printed. Otherwise a timed value is
    localised to ``timezone`` (IANA, with DST) when given, else stays naive. A day stays a day. A relative
    date ("3 hours ago", "gestern") is resolved against ``fetched_at`` (now when None) in ``timezone`` when
    given, else in ``fetched_at``'s own offset; relative times are instants, relative days are days.

    Numeric day/month order: ``date_order`` (DMY/MDY/YMD) when given; else a value above 12 decides; else
    month first for English and day first for every other language, with ``ambiguous=True``.

    None for: empty or prose strings, impossible dates (31 Feb, 0000-00-00), years before 1990, a month
    or year without a day, and anything more than one day after ``fetched_at``.
    Raises ``ValueError`` for an unknown ``timezone`` name.
    """
    tz_name = timezone
    if tz_name is not None:
        _zone(tz_name)
    order = date_order.upper() if date_order and date_order.upper() in _DATE_ORDERS else None
    langs = _dateparser_languages(languages)
    s = clean_text(raw)
    if not s:
        return None

    fast = _parse_fast(s, tz_name)
    if fast is not False:
        return _checked(fast, raw, False, fetched_at)  # type: ignore[arg-type]

    s = _prepare(s)
    if not s or len(s) > MAX_DATE_CHARS:
        return None
    parsed = _parse_prepared(s, raw, fetched_at, tz_name, langs, order)
    # "06.01.2026, Lesezeit 5 Min.", "21 March 2023 | 4 min read": a clause after the date defeats the
    # parsers; it goes, one clause at a time, while what is left still has a digit.
    for _ in range(_MAX_TRAILING_CLAUSES):
        if parsed is not None:
            break
        clause = _TRAILING_CLAUSE.search(s)
        if clause is None or not _HAS_DIGIT.search(s[: clause.start()]):
            break
        s = s[: clause.start()]
        parsed = _parse_prepared(s, raw, fetched_at, tz_name, langs, order)
    return parsed


def _parse_prepared(
    s: str,
    raw: str,
    fetched_at: datetime | None,
    tz_name: str | None,
    langs: tuple[str, ...] | None,
    order: str | None,
) -> ParsedDate | None:
    fast = _parse_fast(s, tz_name)
    if fast is not False:
        return _checked(fast, raw, False, fetched_at)  # type: ignore[arg-type]

    head, zone = _split_zone(s)

    def finish(value: datetime | date | None, ambiguous: bool = False) -> ParsedDate | None:
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=zone) if zone is not None else _localise(value, tz_name)
        return _checked(value, raw, ambiguous, fetched_at)

    numeric = _parse_numeric(head, fetched_at, langs, order)
    if numeric is None:
        # A numeric date followed by words without a comma ("06.01.2026 Lesezeit 5 Min.").
        leading = _NUMERIC_AT_START.match(head)
        if leading:
            numeric = _parse_numeric(leading.group(0).rstrip(), fetched_at, langs, order)
    if numeric is not None:
        return finish(*numeric)
    cjk = _parse_cjk(head)
    if cjk is not False:
        return finish(cjk)  # type: ignore[arg-type]
    return _parse_text(head, raw, zone, fetched_at, tz_name, langs, order)


def _checked(
    value: datetime | date | None, raw: str, ambiguous: bool, fetched_at: datetime | None
) -> ParsedDate | None:
    if value is None or not _plausible(value, fetched_at):
        return None
    return _make(value, raw, ambiguous)


def _parse_text(
    s: str,
    raw: str,
    zone: tzinfo | None,
    fetched_at: datetime | None,
    tz_name: str | None,
    langs: tuple[str, ...] | None,
    order: str | None,
) -> ParsedDate | None:
    if _HAS_YEAR.search(s):
        data = _parser(langs, order, None, False).get_date_data(s)
        relative = False
        base: datetime | None = None
    else:
        # No year: either relative ("vor 2 Stunden") or year-less ("Monday, March 20th"); both need the fetch
        # time, in the zone the page's wall clock runs in.
        reference = fetched_at or datetime.now(UTC)
        base = reference.astimezone(_zone(tz_name)) if reference.tzinfo is not None and tz_name else reference
        naive_base = base.replace(tzinfo=None)
        data = _parser(langs, order, naive_base, True).get_date_data(s)
        relative = data.date_obj is not None
        if not relative:
            data = _parser(langs, order, naive_base, False).get_date_data(s)
    value = data.date_obj
    parts = data.parts or ()
    if value is None or "day" not in parts or "month" not in parts or data.period in ("month", "year"):
        return None
    has_time = data.period == "time" or "time" in parts
    if relative and base is not None:
        if not has_time:
            return _checked(value.date(), raw, False, fetched_at)
        # A relative time is an instant: it carries the base's offset (or stays naive with a naive base).
        if base.tzinfo is not None:
            value = value.replace(tzinfo=base.tzinfo)
        return _checked(value, raw, False, fetched_at)
    if not has_time:
        return _checked(value.date(), raw, False, fetched_at)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone) if zone is not None else _localise(value, tz_name)
    return _checked(value, raw, False, fetched_at)


def apply_timezone(d: ParsedDate, tz: str) -> ParsedDate:
    """``d`` localised to the IANA zone ``tz`` when it is a naive time; unchanged when it has an offset or
    no time. Used once a site's timezone is learned from its other pages."""
    if not d.has_time or d.has_offset or not isinstance(d.value, datetime):
        return d
    return _make(d.value.replace(tzinfo=_zone(tz)), d.raw, d.ambiguous)


def date_from_url(url: str) -> str | None:
    """The date a URL path spells ("/2023/03/21/", "/2023-03-21-", "/20230321/") as ``YYYY-MM-DD``."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    for match in _URL_DATE.finditer(path):
        if match["y"]:
            y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
        else:
            y, m, d = int(match["cy"]), int(match["cm"]), int(match["cd"])
        value = _datetime_or_none(y, m, d)
        if value is not None:
            return value.isoformat()
    return None


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _same_day(a: ParsedDate, b: ParsedDate) -> bool:
    return _day(a.value) == _day(b.value)


def _precision(d: ParsedDate) -> int:
    return 2 if d.has_offset else 1 if d.has_time else 0


def _first_best(
    candidates: Sequence[tuple[str, str]],
    fetched_at: datetime,
    timezone: str | None,
    languages: Sequence[str] | None,
    date_order: str | None,
) -> tuple[ParsedDate | None, str | None]:
    chosen: ParsedDate | None = None
    source: str | None = None
    for raw, candidate_source in candidates:
        if not raw:
            continue
        parsed = parse_date(
            raw, fetched_at=fetched_at, timezone=timezone, languages=languages, date_order=date_order
        )
        if parsed is None:
            continue
        if chosen is None or (_precision(parsed) > _precision(chosen) and _same_day(parsed, chosen)):
            chosen, source = parsed, candidate_source
    return chosen, source


def _earlier(modified: ParsedDate, published: ParsedDate) -> bool:
    """Whether ``modified`` is certainly before ``published``: instants exactly, anything else by day."""
    m, p = modified.value, published.value
    if isinstance(m, datetime) and isinstance(p, datetime) and (m.tzinfo is None) == (p.tzinfo is None):
        return m < p
    return _day(m) < _day(p)


def choose_dates(
    published: Sequence[tuple[str, str]],
    modified: Sequence[tuple[str, str]],
    *,
    fetched_at: datetime,
    timezone: str | None = None,
    languages: Sequence[str] | None = None,
    date_order: str | None = None,
) -> DateChoice:
    """The published and modified dates of a page from its ``(raw, source)`` candidates.

    Precedence is the order given (extraction passes jsonld, microdata, meta, dom, url, sitemap, feed): the
    first candidate that parses wins, except that a later candidate on the same day with more precision
    (a time where the first has only a day, an offset where the first is naive) replaces it, keeping the
    more trustworthy day and the more exact time. A modified date earlier than the published one is dropped
    and flagged ``before_published``; guessed day/month orders are flagged ``ambiguous``; candidates that
    all fail are flagged ``unparseable``.
    """
    flags: dict[str, str] = {}
    pub, pub_source = _first_best(published, fetched_at, timezone, languages, date_order)
    mod, mod_source = _first_best(modified, fetched_at, timezone, languages, date_order)
    if pub is None and any(raw for raw, _ in published):
        flags["published_at"] = "unparseable"
    if mod is None and any(raw for raw, _ in modified):
        flags["modified_at"] = "unparseable"
    if pub is not None and pub.ambiguous:
        flags["published_at"] = "ambiguous"
    if mod is not None and pub is not None and _earlier(mod, pub):
        mod, mod_source = None, None
        flags["modified_at"] = "before_published"
    elif mod is not None and mod.ambiguous:
        flags["modified_at"] = "ambiguous"
    return DateChoice(pub, pub_source, mod, mod_source, flags)
