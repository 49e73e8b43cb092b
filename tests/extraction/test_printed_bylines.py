"""Authors where the page's metadata credits no person: SEO plugins' Twitter card fields, and bylines
found by their label rather than a class name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.extraction import extract_article

FETCHED = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)
URL = "https://news.example.com/story/12345"
BODY = "<p>" + "The council met on Tuesday and voted on the budget for the coming year. " * 6 + "</p>"


def _authors(head: str = "", before_body: str = "", after_body: str = "") -> list[str]:
    html = (
        f"<html lang='en'><head><title>Council votes</title>{head}</head><body>"
        f"<article><h1>Council votes on the budget</h1>{before_body}{BODY}{after_body}</article>"
        "<footer><p>By Footer Person</p></footer></body></html>"
    )
    return extract_article(html, URL, fetched_at=FETCHED).authors


@pytest.mark.parametrize(
    "head",
    [
        "<meta name='twitter:label1' content='Written by'><meta name='twitter:data1' content='Jane Doe'>"
        "<meta name='twitter:label2' content='Est. reading time'><meta name='twitter:data2' content='3 minutes'>",
        "<meta name='twitter:misc:Written by' content='Jane Doe'>",
        "<meta name='twitter:label1' content='Geschrieben von'><meta name='twitter:data1' content='Jane Doe'>",
    ],
)
def test_the_twitter_card_byline_of_seo_plugins(head: str) -> None:
    assert _authors(head=head + "<meta name='author' content='jane@example.com'>") == ["Jane Doe"]


def test_a_twitter_card_field_that_is_not_a_byline_credits_no_one() -> None:
    head = "<meta name='twitter:label1' content='Est. reading time'><meta name='twitter:data1' content='3 minutes'>"
    assert _authors(head=head) == []


@pytest.mark.parametrize(
    ("before_body", "after_body", "expected"),
    [
        ("<p>By Jane Doe and John Roe</p>", "", ["Jane Doe", "John Roe"]),
        ("", "<ul><li><strong>Autorin/Autor</strong> Roman Goncharenko</li></ul>", ["Roman Goncharenko"]),
        ("<div><span>Text:</span> Anna Berg</div>", "", ["Anna Berg"]),
    ],
)
def test_a_byline_found_by_its_label(before_body: str, after_body: str, expected: list[str]) -> None:
    assert _authors(before_body=before_body, after_body=after_body) == expected


def test_a_labelled_byline_beats_a_publisher_signed_with_its_address() -> None:
    head = "<meta name='author' content='Example Radio (www.radio.example.org)'>"
    assert _authors(head=head, after_body="<p>Von Erika Muster</p>") == ["Erika Muster"]


@pytest.mark.parametrize(
    "text",
    [
        "<p>By the numbers</p>",
        "<p>By Tuesday evening the council had voted.</p>",
    ],
)
def test_text_that_only_opens_like_a_byline_credits_no_one(text: str) -> None:
    assert _authors(before_body=text) == []
