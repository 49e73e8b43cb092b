"""The printed standfirst beats metadata descriptions; the byline by the headline names the author."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newscrawl.extraction import extract_article
from newscrawl.items import Article

PAGES = Path(__file__).parent / "metadata_pages"
FETCHED = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)


def _article(name: str) -> Article:
    html = (PAGES / name).read_bytes()
    return extract_article(html, f"https://news.example.com/2024/06/10/{name}", fetched_at=FETCHED)


@pytest.mark.parametrize(
    ("page", "description", "source"),
    [
        (
            "standfirst_by_class.html",
            "The city council voted on Monday to double the harbour's capacity by 2030.",
            "dom",
        ),
        (
            "standfirst_subheadline.html",
            "Gales of up to 120 km/h are expected until Wednesday evening",
            "dom",
        ),
        (
            "truncated_description.html",
            "Residents of the district complain about the length of the festival, the loud concerts and the "
            "traffic closures that come with it every summer.",
            "dom",
        ),
        # A paragraph right after the headline is the body's first one, and a video teaser is no standfirst.
        ("no_standfirst.html", "Unions and operators reach a deal overnight.", "opengraph"),
    ],
)
def test_description_is_the_printed_standfirst_when_the_page_marks_one(
    page: str, description: str, source: str
) -> None:
    article = _article(page)
    assert article.description == description
    assert article.provenance["description"] == source


def test_byline_by_the_headline_wins_over_the_outlet_named_in_metadata() -> None:
    article = _article("standfirst_by_class.html")
    # The nav's author link, the related teaser's author and the commenter are not this story's authors;
    # the place after the name is where Jane Doe wrote from.
    assert article.authors == ["Jane Doe"]
    assert article.provenance["authors"] == "dom"


def test_the_first_body_paragraph_stays_in_the_body() -> None:
    article = _article("no_standfirst.html")
    assert article.body.startswith("A national rail strike planned for Friday")


def test_the_second_line_of_a_two_part_headline_is_not_the_standfirst() -> None:
    lead = "Mid-May brings the ice saints. What is behind the old weather rule, and what do forecasters expect?"
    html = (
        "<html><head><title>The ice saints 2024: when they are - and what the weather does</title>"
        f"<meta property='og:description' content='{lead}'></head><body><article>"
        "<h1>The ice saints 2024</h1><h2>when they are - and what the weather does</h2>"
        "<p>" + "The days from 11 to 15 May are named after early Christian martyrs. " * 6 + "</p>"
        "</article></body></html>"
    )
    article = extract_article(html, "https://news.example.com/2024/05/03/ice-saints.html", fetched_at=FETCHED)
    assert (article.description, article.provenance["description"]) == (lead, "opengraph")
