"""normalize_article: the first candidate that survives, with the choices a reader makes between sources."""

from __future__ import annotations

from datetime import UTC, datetime

from newscrawl.extraction.raw import Candidate, RawArticle, RawImage
from newscrawl.normalize.article import normalize_article
from newscrawl.sites.spec import SiteSpec

FETCHED = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)
URL = "https://news.example.com/2024/06/10/story?utm_source=x"
GERMAN = (
    "Die Stadt hat am Montag beschlossen, den Hafen zu erweitern. Die Bauarbeiten sollen im nächsten "
    "Frühjahr beginnen und etwa vier Jahre dauern, teilte die Hafenbehörde mit. Gegner warnen vor mehr "
    "Verkehr."
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
        "Regjeringen la fram statsbudsjettet tirsdag. Finansministeren sa at budsjettet skal bidra til "
        "lavere prisvekst og trygge arbeidsplasser over hele landet, og at kommunene får mer penger neste år."
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


def test_title_drops_a_section_before_a_bar_that_another_source_shows_the_headline_without() -> None:
    raw = _raw(
        title=[
            Candidate("Ski jumping | Row over suits at the tournament", "opengraph"),
            Candidate("Row over suits at the tournament", "jsonld"),
        ]
    )
    assert normalize_article(raw).title == "Row over suits at the tournament"


def test_title_is_the_headline_two_sources_print_after_different_kickers() -> None:
    raw = _raw(
        title=[
            Candidate("Attack on Israel: «Restraint has much to do with the US»", "opengraph"),
            Candidate("Escalation in the Middle East - «Restraint has much to do with the US»", "microdata"),
        ]
    )
    assert normalize_article(raw).title == "«Restraint has much to do with the US»"


def test_title_keeps_a_kicker_that_every_source_prints() -> None:
    raw = _raw(
        title=[
            Candidate("Nuclear plant: Cooling towers demolished", "opengraph"),
            Candidate("Nuclear plant - Cooling towers demolished", "jsonld"),
        ]
    )
    assert normalize_article(raw).title == "Nuclear plant: Cooling towers demolished"


def test_title_is_the_jsonld_headline_when_the_cms_title_field_agrees_with_it_against_og() -> None:
    raw = _raw(
        title=[
            Candidate("Only a third of the children came to school on Monday", "jsonld"),
            Candidate("Emergency plan: a quiet but hot Monday", "opengraph"),
            Candidate("Only a third of the children came to school on Monday", "meta"),
        ]
    )
    article = normalize_article(raw)
    assert article.title == "Only a third of the children came to school on Monday"
    assert article.provenance["title"] == "jsonld"


def test_title_stays_og_when_nothing_corroborates_the_jsonld_headline() -> None:
    raw = _raw(
        title=[
            Candidate("Bank regulators admit failures", "jsonld"),
            Candidate("Federal Reserve admits supervisory failures", "opengraph"),
        ]
    )
    assert normalize_article(raw).title == "Federal Reserve admits supervisory failures"


def test_title_ignores_a_variant_that_dropped_punctuation() -> None:
    raw = _raw(
        title=[
            Candidate("National demo / Unions show unity", "opengraph"),
            Candidate("National demo Unions show unity - Example", "dom"),
        ],
        site_name=[Candidate("Example", "opengraph")],
    )
    assert normalize_article(raw).title == "National demo / Unions show unity"


def test_authors_come_from_the_first_source_naming_a_person_not_the_outlet() -> None:
    raw = _raw(
        authors=[Candidate(["Example Times"], "jsonld"), Candidate(["Noa Berkowitz"], "meta")],
        site_name=[Candidate("Example Times", "opengraph")],
    )
    article = normalize_article(raw)
    assert article.authors == ["Noa Berkowitz"]
    assert article.provenance["authors"] == "meta"


def test_authors_fall_back_to_the_organisation_when_no_source_names_a_person() -> None:
    raw = _raw(authors=[Candidate(["VNT Staff"], "jsonld"), Candidate(["Reuters"], "meta")])
    assert normalize_article(raw).authors == ["VNT Staff"]


def test_authors_keep_capitals_as_printed() -> None:
    raw = _raw(authors=[Candidate(["KLAUS WEBERLING"], "jsonld")])
    assert normalize_article(raw).authors == ["KLAUS WEBERLING"]


def test_norwegian_written_standards_are_reported_as_norwegian() -> None:
    assert normalize_article(_raw(html_lang="nb-NO")).language == "no"
    assert normalize_article(_raw(html_lang="nn")).language == "no"


def test_a_bad_title_candidate_costs_that_candidate_only() -> None:
    raw = _raw(title=[Candidate(None, "jsonld"), Candidate("Harbour reopens", "opengraph")])
    assert normalize_article(raw).title == "Harbour reopens"


def test_a_description_that_is_the_lead_pictures_caption_gives_way_to_the_lead() -> None:
    caption = "Ready for the fight of the century: the two boxers at the weigh-in."
    lead = "The boxing world is waiting for the heavyweight show of the century in Riyadh."
    raw = _raw(
        description=[Candidate(caption, "jsonld"), Candidate(lead, "opengraph")],
        images=[RawImage(url="https://news.example.com/img/weigh-in.jpg", caption=f"{caption} © Agency", source="dom")],
    )
    article = normalize_article(raw)
    assert (article.description, article.provenance["description"]) == (lead, "opengraph")


def test_a_lead_the_page_also_prints_as_its_caption_stays_when_no_source_says_otherwise() -> None:
    lead = "Fish stocks in the North Atlantic recovered after two decades of conservation measures."
    raw = _raw(
        description=[Candidate(lead, "jsonld"), Candidate(f"{lead} #Ocean", "opengraph")],
        images=[RawImage(url="https://news.example.com/img/hake.jpg", caption=lead, source="dom")],
    )
    assert normalize_article(raw).description == lead
