"""Tests of newscrawl.normalize.dates: printed dates to ISO 8601 with the right timezone, and date choice."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from normalize_tables import none_if, read_table

from newscrawl.normalize import dates
from newscrawl.normalize.dates import apply_timezone, choose_dates, date_from_url, parse_date

FETCHED_AT = datetime(2023, 3, 21, 12, 0, tzinfo=UTC)
DATE_ROWS = read_table("dates.tsv", 6)


def test_table_is_broad_enough() -> None:
    languages = {row[2] for row in DATE_ROWS if row[2]}
    assert len(DATE_ROWS) >= 150
    assert len(languages) >= 10


@pytest.mark.parametrize(("raw", "tz", "languages", "order", "expected", "ambiguous"), DATE_ROWS)
def test_parse_date_table(
    raw: str, tz: str, languages: str, order: str, expected: str, ambiguous: str
) -> None:
    parsed = parse_date(
        raw,
        fetched_at=FETCHED_AT,
        timezone=tz or None,
        languages=languages.split(",") if languages else None,
        date_order=order or None,
    )
    if none_if(expected) is None:
        assert parsed is None
        return
    assert parsed is not None, f"{raw!r} did not parse"
    assert parsed.iso == expected
    assert parsed.ambiguous is (ambiguous == "ambiguous")
    assert parsed.raw == raw
    assert parsed.has_time is ("T" in expected)
    assert parsed.has_offset is (len(expected) > 19)


def test_iso_never_goes_through_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("dateparser used for a machine format")

    monkeypatch.setattr(dates, "_parser", fail)
    for raw in (
        "2023-03-21T10:15:00Z",
        "20230321T101500",
        "2023-03-21",
        "Tue, 21 Mar 2023 10:15:00 GMT",
        "1679393700",
        "21/03/2023 10:15",
        "2023年3月20日 14時05分",
    ):
        assert parse_date(raw, fetched_at=FETCHED_AT) is not None


def test_values_match_iso() -> None:
    aware = parse_date("2023-03-21T10:15:00+05:30")
    assert aware is not None and aware.value == datetime.fromisoformat("2023-03-21T10:15:00+05:30")
    day = parse_date("2023-03-21")
    assert day is not None and type(day.value) is date and not day.has_time
    naive = parse_date("2023-03-21T10:15:00")
    assert naive is not None and isinstance(naive.value, datetime) and naive.value.tzinfo is None


def test_no_fetched_at_uses_now_for_the_future_check() -> None:
    assert parse_date("2999-01-01") is None
    assert parse_date("2001-09-11") is not None


def test_unknown_timezone_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="timezone"):
        parse_date("2023-03-21T10:15:00", timezone="Mars/Olympus_Mons")


@pytest.mark.parametrize(
    "hostile",
    [
        "\x00\x00",
        "9" * 400,
        "2023-03-21" * 50,
        "<script>alert(1)</script>",
        "\u200b",
        "-1",
        "1e10",
        "2023-03-21T10:15:00+99:99",
    ],
)
def test_hostile_strings_return_none_or_a_date(hostile: str) -> None:
    result = parse_date(hostile, fetched_at=FETCHED_AT, languages=["en"])
    assert result is None or result.iso[:4].isdigit()


def test_naive_fetched_at_is_accepted() -> None:
    parsed = parse_date("3 hours ago", fetched_at=datetime(2023, 3, 21, 12, 0), languages=["en"])
    assert parsed is not None and parsed.iso == "2023-03-21T09:00:00"


def test_apply_timezone_localises_only_naive_times() -> None:
    naive = parse_date("2023-07-01T10:15:00")
    assert naive is not None
    assert apply_timezone(naive, "Europe/Berlin").iso == "2023-07-01T10:15:00+02:00"
    aware = parse_date("2023-07-01T10:15:00-04:00")
    assert aware is not None and apply_timezone(aware, "Europe/Berlin") is aware
    day = parse_date("2023-07-01")
    assert day is not None and apply_timezone(day, "Europe/Berlin") is day


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/2023/03/21/some-story/", "2023-03-21"),
        ("https://example.com/news/2023/3/5/story", "2023-03-05"),
        ("https://example.com/2023-03-21-some-story", "2023-03-21"),
        ("https://example.com/politik/20230321/story.html", "2023-03-21"),
        ("https://example.com/2023/03/story", None),
        ("https://example.com/2023/02/31/story", None),
        ("https://example.com/article/123456789/story", None),
        ("https://example.com/story?date=2023/03/21/", None),
        ("https://example.com/1850/03/21/history", None),
        ("", None),
    ],
)
def test_date_from_url(url: str, expected: str | None) -> None:
    assert date_from_url(url) == expected


def test_choose_dates_takes_first_parseable_in_precedence_order() -> None:
    choice = choose_dates(
        [("garbage", "jsonld"), ("2023-03-20T10:15:00+01:00", "meta"), ("2023-03-19", "url")],
        [("2023-03-20T12:00:00+01:00", "meta")],
        fetched_at=FETCHED_AT,
    )
    assert choice.published is not None and choice.published.iso == "2023-03-20T10:15:00+01:00"
    assert choice.published_source == "meta"
    assert choice.modified is not None and choice.modified_source == "meta"
    assert choice.flags == {}


def test_choose_dates_prefers_a_timed_candidate_on_the_same_day() -> None:
    choice = choose_dates(
        [("2023-03-20", "url"), ("20.03.2023 10:15", "dom"), ("2023-03-20T10:15:00+01:00", "feed")],
        [],
        fetched_at=FETCHED_AT,
        timezone=None,
        languages=["de"],
    )
    assert choice.published is not None and choice.published.iso == "2023-03-20T10:15:00+01:00"
    assert choice.published_source == "feed"


def test_choose_dates_keeps_the_day_when_the_timed_one_disagrees() -> None:
    choice = choose_dates(
        [("2023-03-20", "jsonld"), ("2023-03-18T10:15:00Z", "sitemap")], [], fetched_at=FETCHED_AT
    )
    assert choice.published is not None and choice.published.iso == "2023-03-20"
    assert choice.published_source == "jsonld"


def test_choose_dates_drops_modified_before_published() -> None:
    choice = choose_dates(
        [("2023-03-20T10:00:00+00:00", "jsonld")],
        [("2023-03-19T10:00:00+00:00", "jsonld")],
        fetched_at=FETCHED_AT,
    )
    assert choice.modified is None and choice.modified_source is None
    assert choice.flags["modified_at"] == "before_published"


def test_choose_dates_same_day_modified_without_time_is_kept() -> None:
    choice = choose_dates(
        [("2023-03-20T10:00:00+00:00", "jsonld")], [("2023-03-20", "sitemap")], fetched_at=FETCHED_AT
    )
    assert choice.modified is not None and choice.modified.iso == "2023-03-20"


def test_choose_dates_flags_ambiguous_and_unparseable() -> None:
    choice = choose_dates(
        [("03/04/2023", "dom")], [("nonsense", "dom")], fetched_at=FETCHED_AT, languages=["en"]
    )
    assert choice.published is not None and choice.published.iso == "2023-03-04"
    assert choice.flags == {"published_at": "ambiguous", "modified_at": "unparseable"}


def test_choose_dates_applies_site_timezone_and_order() -> None:
    choice = choose_dates(
        [("03/04/2023 10:15", "dom")],
        [],
        fetched_at=datetime(2023, 5, 1, tzinfo=UTC),
        timezone="Europe/Berlin",
        date_order="DMY",
    )
    assert choice.published is not None and choice.published.iso == "2023-04-03T10:15:00+02:00"
    assert choice.flags == {}


def test_choose_dates_with_nothing() -> None:
    choice = choose_dates([], [], fetched_at=FETCHED_AT)
    assert choice.published is None and choice.modified is None and choice.flags == {}
