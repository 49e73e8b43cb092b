"""normalize_article: the first candidate that survives, with the choices a reader would make between sources."""

from __future__ import annotations

from datetime import UTC, datetime

from newscrawl.extraction.raw import Candidate, RawArticle, RawImage
from newscrawl.normalize.article import normalize_article
from newscrawl.sites.spec import SiteSpec

FETCHED = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)
URL = "https://news.example.com/2024/06/10/story?utm_source=x"
GERMAN = (
    "Die Stadt hat am Montag beschlossen, den Hafen zu erweitern. Die Bauarbeiten sollen im nächsten Frühjahr "
    "beginnen und etwa vier Jahre dauern, teilte die Hafenbehörde mit. Gegner warnen vor mehr Verkehr."
)


def _raw(**fields: object) -> RawArticle:
    raw = RawArticle(url=URL, fetched_at=FETCHED)
    for name, value in fields.items():
        setattr(raw, name, value)
    return raw


def test_every_key_is_present_and_unknown_is_empty_not_a_sentinel() -> None:
    record = normalize_article(_raw()).to_dict()
    assert record["title"] == ""
    assert record["description"] is None
    assert record["authors"] == [] and record["tags"] == [] and record["images"] == []
    assert record["published_at"] is None and record["paywall"] is None
    assert record["site"] == "example.com"
    assert record["fetched_at"] == "2024-06-10T12:00:00+00:00"


def test_title_drops_an_affix_that_another_source_shows_the_headline_without() -> None:
    raw = _raw(
        title=[
            Candidate("Harbour reopens after storm | Local news", "opengraph"),
            Candidate("Harbour reopens after storm", "jsonld"),
        ]
    )
    article = normalize_article(raw)
    assert article.title == "Harbour reopens after storm"
    assert article.provenance["title"] == "jsonld"


def test_title_keeps_the_typography_the_page_printed() -> None:
    raw = _raw(
        title=[
            Candidate("Mexico to fight 'illogical' tariffs", "opengraph"),
            Candidate("Mexico to fight ‘illogical’ tariffs", "jsonld"),
        ]
    )
    assert normalize_article(raw).title == "Mexico to fight ‘illogical’ tariffs"


def test_language_follows_the_text_when_the_template_declares_another_one() -> None:
    raw = _raw(html_lang="en", body=[GERMAN])
    article = normalize_article(raw)
    assert article.language == "de"
    assert article.provenance["language"] == "text"


def test_declared_language_wins_over_a_close_relative_detected() -> None:
    norwegian = (
        "Regjeringen la fram statsbudsjettet tirsdag. Finansministeren sa at budsjettet skal bidra til lavere "
        "prisvekst og trygge arbeidsplasser over hele landet, og at kommunene får mer penger neste år."
    )
    assert normalize_article(_raw(html_lang="no", body=[norwegian])).language == "no"


def test_dates_use_the_site_timezone_and_record_their_source() -> None:
    site = SiteSpec(
        id="example", domains=("example.com",), base_url="https://news.example.com", timezone="Europe/Berlin"
    )
    raw = _raw(published=[Candidate("2024-06-10T08:15:00", "meta")])
    article = normalize_article(raw, site=site)
    assert article.published_at == "2024-06-10T08:15:00+02:00"
    assert article.published_raw == "2024-06-10T08:15:00"
    assert article.provenance["published_at"] == "meta"
    assert article.site == "example"


def test_images_are_merged_by_url_with_one_cover_first() -> None:
    raw = _raw(
        images=[
            RawImage(url="https://img.example.com/b.jpg", caption="Second picture. Photo: Ann Lee"),
            RawImage(url="https://img.example.com/a.jpg", is_cover=True, source="opengraph"),
            RawImage(url="https://img.example.com/a.jpg", caption="The lead picture", credit="Credit: AP"),
        ],
        body=["The lead picture", "A paragraph of the story that stays in the body of the article."],
    )
    article = normalize_article(raw)
    assert [(i.url, i.caption, i.credit, i.is_cover) for i in article.images] == [
        ("https://img.example.com/a.jpg", "The lead picture", "AP", True),
        ("https://img.example.com/b.jpg", "Second picture.", "Ann Lee", False),
    ]
    # A caption printed again in the body is not body text.
    assert article.body == "A paragraph of the story that stays in the body of the article."
    assert article.canonical_url == "https://news.example.com/2024/06/10/story"
