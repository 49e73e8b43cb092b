"""Dates printed on the page (datelines, fact boxes, the meta line under the headline) where the page's
machine-readable dates give no time of day or no date at all."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.extraction import extract_article

FETCHED = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)
URL = "https://news.example.com/story/12345"
BODY = "<p>" + "The council met on Tuesday and voted on the budget for the coming year. " * 6 + "</p>"


def _page(head: str = "", before_body: str = "", after_body: str = "") -> str:
    return (
        f"<html lang='en'><head><title>Council votes</title>{head}</head><body>"
        "<header><h1 class='logo'><a href='/'><img src='/logo.png' alt=''></a></h1></header>"
        f"<article><h1>Council votes on the budget</h1>{before_body}{BODY}{after_body}</article>"
        "</body></html>"
    )


def _dates(html: str) -> tuple[str | None, str | None, str | None]:
    article = extract_article(html, URL, fetched_at=FETCHED)
    return article.published_at, article.published_raw, article.provenance.get("published_at")


@pytest.mark.parametrize(
    ("fact_box", "expected"),
    [
        ("<ul class='facts'><li><strong>Datum</strong> 28.04.2023</li></ul>", "2023-04-28"),
        ("<div class='info'><span>Published:</span> <span>3 March 2024</span></div>", "2024-03-03"),
        ("<dl><dd>Publicado el 25/05/2024</dd></dl>", "2024-05-25"),
    ],
)
def test_a_labelled_fact_box_date_is_read_when_nothing_structured_says_one(fact_box: str, expected: str) -> None:
    published_at, _, source = _dates(_page(after_body=fact_box))
    assert published_at == expected
    assert source == "dom"


def test_a_labelled_update_date_is_the_modified_date() -> None:
    page = _page(after_body="<dl><dd>Publicado el 25/05/2024</dd><dd>Last updated on 27/05/2024</dd></dl>")
    article = extract_article(page, URL, fetched_at=FETCHED)
    assert (article.published_at, article.modified_at) == ("2024-05-25", "2024-05-27")


def test_the_meta_line_under_the_headline_gives_the_time_a_day_only_meta_date_lacks() -> None:
    page = _page(
        head="<meta name='publishdate' content='2024-04-24'>",
        before_body="<div class='meta'><div>24.04.2024 23:52 | Source: Agency</div></div>",
    )
    published_at, published_raw, _ = _dates(page)
    assert published_at == "2024-04-24T23:52:00"  # no offset anywhere: a naive local time, never UTC
    assert published_raw == "24.04.2024 23:52 | Source: Agency"


def test_a_printed_time_on_another_day_does_not_displace_the_structured_day() -> None:
    page = _page(
        head="<meta name='publishdate' content='2024-04-24'>",
        before_body="<div>23.04.2024 23:52 | Source: Agency</div>",
    )
    assert _dates(page)[0] == "2024-04-24"


def test_a_timed_structured_date_wins_over_any_printed_line() -> None:
    page = _page(
        head="<meta property='article:published_time' content='2024-04-24T10:00:00+02:00'>",
        before_body="<p class='date'>24.04.2024 23:52</p>",
    )
    assert _dates(page)[0] == "2024-04-24T10:00:00+02:00"


@pytest.mark.parametrize(
    "sentence",
    [
        "<p>Am 28.04.2023 um 14:00 Uhr begann die Sitzung.</p>",
        "<p>The mayor, who spoke to reporters at length on 28.04.2023 at 14:00, said little.</p>",
    ],
)
def test_a_sentence_that_mentions_a_date_is_no_dateline(sentence: str) -> None:
    assert _dates(_page(before_body=sentence)) == (None, None, None)


@pytest.mark.parametrize(
    "teaser",
    [
        "<ul><li><a href='/other'><span>Published:</span> 3 March 2024</a></li></ul>",
        "<ul><li>Published: <a href='/other'>3 March 2024</a></li></ul>",
    ],
)
def test_a_teaser_date_inside_a_link_is_not_the_storys(teaser: str) -> None:
    assert _dates(_page(after_body=teaser))[0] is None


def test_an_empty_logo_heading_is_not_the_headline() -> None:
    article = extract_article(_page(), URL, fetched_at=FETCHED)
    assert article.title == "Council votes on the budget"
