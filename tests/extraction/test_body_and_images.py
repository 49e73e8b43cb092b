"""Body repairs around trafilatura (edges, split bodies, link lists) and image discovery (AMP, layout captions)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from newscrawl.extraction import extract_article
from newscrawl.extraction.body import paragraphs_of, recover_split_body, trim_edges
from newscrawl.extraction.document import parse_html

DATA = Path(__file__).parent / "data"
FETCHED = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)
STORY = [
    "The council approved the plan on Monday after a long review of the public comments.",
    "Supporters said the project would bring jobs; opponents warned about traffic and noise.",
    "Construction is expected to start next spring and to last about four years.",
]

EDGE_CASES = [
    # (paragraph added at the start or end, whether trim_edges drops it)
    ("By Jane Doe", True),
    ("Jane Doe | Reuters", True),
    ("Published 18 November 2019 10:02", True),
    ("Stand: 22.04.2024, 06:00 Uhr", True),
    ("https://news.example.com/2019/11/18/story.html", True),
    ("Write to Jane Doe at jane.doe@example.com", True),
    ("Follow us on Facebook, Twitter and Instagram.", True),
    ("Port expansion approved", True),  # a headline repeat
    ("Jane Doe covers transport and city hall for the paper.", True),  # author bio at the end
    ("The mayor said the city would appeal the ruling before the end of 2019.", False),
    ("Bystanders described the scene as chaotic.", False),
]


@pytest.mark.parametrize(("extra", "dropped"), EDGE_CASES)
def test_edge_furniture_is_dropped_and_prose_kept(extra: str, dropped: bool) -> None:
    for body in ([extra, *STORY], [*STORY, extra]):
        kept = trim_edges(body, names=["Jane Doe"], titles=["Port expansion approved"])
        assert (extra not in kept) is dropped, body
        assert all(paragraph in kept for paragraph in STORY)


def test_furniture_mid_story_is_left_alone() -> None:
    body = [*STORY, "By Jane Doe", "https://example.com/a", "Port expansion approved", *STORY]
    assert trim_edges(body, names=["Jane Doe"], titles=["Port expansion approved"]) == body


def test_a_body_split_into_chunks_is_put_back_together_in_page_order() -> None:
    tree = parse_html((DATA / "split_body.html").read_bytes())
    first_chunk = [
        "The city council approved the port expansion on Monday after a review that lasted more than three "
        "years and drew thousands of public comments.",
        "Supporters said the project would bring hundreds of jobs to the waterfront, while opponents warned "
        "about traffic and the loss of a public beach.",
    ]
    body = recover_split_body(tree, first_chunk)
    assert body[:2] == first_chunk
    assert body[2].startswith("Construction is expected to start next spring")
    assert body[3].startswith("The council attached conditions")
    # The sign-up box shares the chunks' class but holds a form: it stays out.
    assert not any("inbox" in paragraph for paragraph in body)
    assert len(body) == 4


def test_the_whole_chunked_story_reaches_the_article() -> None:
    html = (DATA / "split_body.html").read_bytes()
    body = extract_article(html, "https://example.com/port", fetched_at=FETCHED).body
    assert "Construction is expected to start next spring" in body
    assert "The council attached conditions" in body
    assert "Sign up" not in body and "inbox" not in body


def test_link_lists_are_dropped_from_the_extracted_body() -> None:
    extracted = etree.fromstring(
        "<body><p>A real paragraph of the story, with a <ref>link</ref> in it.</p>"
        "<list><item><ref>Related story one</ref></item><item><ref>Related story two</ref></item>"
        "<item>A list item that is prose</item></list><head>An intertitle</head></body>"
    )
    assert paragraphs_of(extracted) == [
        "A real paragraph of the story, with a link in it.",
        "A list item that is prose",
        "An intertitle",
    ]


def test_amp_images_layout_captions_and_title_captions() -> None:
    html = (DATA / "amp_images.html").read_bytes()
    images = extract_article(html, "https://news.example.com/storm", fetched_at=FETCHED).images
    assert [(image.url, image.caption, image.credit, image.is_cover) for image in images] == [
        # og:image and the displayed <picture> are one picture: one record, the widest rendition shown,
        # with the caption printed under it (bare text blocks, no class hints).
        (
            "https://img.example.com/storm/roof-damage-street.jpg?w=1600",
            "Roofs were torn off houses on Main Street",
            "Jo Park/Wire",
            True,
        ),
        (
            "https://img.example.com/storm/flooded-underpass-b.jpg",
            "The underpass flooded within an hour",
            "County Fire Service",
            False,
        ),
        ("https://img.example.com/storm/volunteers-sandbags-c.jpg", "Volunteers fill sandbags", "Ann Lee", False),
    ]


def test_a_picture_linking_to_another_story_of_the_site_is_a_teaser_not_an_image_of_this_one() -> None:
    paragraph = "<p>" + "The council voted on the budget on Tuesday after a long debate. " * 5 + "</p>"

    def picture(href: str, name: str) -> str:
        return f"<a href='{href}'><img src='/img/{name}.jpg' width='800' height='450'></a>{paragraph}"

    html = (
        "<html><head><title>Budget</title></head><body><article><h1>Council passes the budget</h1>"
        + picture("/img/council-chamber-vote-full.jpg", "council-chamber-vote")  # click to enlarge
        + picture("/photos/budget-documents-stack.html", "budget-documents-stack")  # its own viewer page
        + picture("https://shop.example.org/calculator", "desk-calculator-product")  # off the site
        + picture("/2024/05/01/other-story.html", "other-story-teaser-thumb")  # another story: a teaser
        + picture("#top", "mayor-at-the-lectern")  # this page
        # Captioned: the article's own picture, though it links to a gallery page.
        + "<figure><a href='/gallery/7'><img src='/img/crowd-outside-hall.jpg' width='800' height='450'></a>"
        "<figcaption>Residents outside the hall.</figcaption></figure>"
        + "</article></body></html>"
    )
    images = extract_article(html, "https://news.example.com/2024/05/02/budget.html", fetched_at=FETCHED).images
    assert [image.url.rsplit("/", 1)[-1] for image in images] == [
        "council-chamber-vote.jpg",
        "budget-documents-stack.jpg",
        "desk-calculator-product.jpg",
        "mayor-at-the-lectern.jpg",
        "crowd-outside-hall.jpg",
    ]


def test_renditions_a_cdn_names_by_size_are_one_picture() -> None:
    story = "<p>" + "Flood water reached the old town overnight and residents moved to higher ground. " * 5 + "</p>"
    jsonld = (
        '{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Floods", "image": ['
        '"https://img.example.com/images/1200/800/1072476.jpg", "https://img.example.com/images/1200/1200/1072476.jpg"]}'
    )
    html = (
        f"<html><head><script type='application/ld+json'>{jsonld}</script></head><body><article><h1>Floods</h1>"
        "<figure><img src='https://img.example.com/images/960/540/q_80/1072476.webp' width='960' height='540'>"
        "<figcaption>The old town under water</figcaption></figure>" + story
        + "<img src='https://news.example.com/uploads/2024/05/rescue-boat-crew-250x148.jpg' width='250' height='148'>"
        + story
        + "<img src='https://news.example.com/uploads/2024/05/rescue-boat-crew.jpg' width='1200' height='710'>"
        + "<img src='https://img.example.com/images/960/540/q_80/1072477.webp' width='960' height='540'>"
        + story + "</article></body></html>"
    )
    images = extract_article(html, "https://news.example.com/2024/05/02/floods.html", fetched_at=FETCHED).images
    assert [(image.url, image.caption) for image in images] == [
        ("https://img.example.com/images/960/540/q_80/1072476.webp", "The old town under water"),
        # A thumbnail first, the picture itself further on: one record, the picture's URL in the thumbnail's place.
        ("https://news.example.com/uploads/2024/05/rescue-boat-crew.jpg", None),
        ("https://img.example.com/images/960/540/q_80/1072477.webp", None),
    ]


@pytest.mark.parametrize(
    ("markup", "kept"),
    [
        # A teaser card: an <article> in the story's sidebar.
        (
            "<aside class='more'><article><img src='/img/other-story-photo.jpg' width='800' height='450'>"
            "</article></aside>",
            False,
        ),
        # A byline portrait, filed under the authors.
        ("<p><img src='/img/autor/jane-doe-portrait.jpg' width='200' height='200'></p>", False),
        # The whole page in one form (ASP.NET): the story's own picture stays.
        ("<img src='/img/council-chamber-vote.jpg' width='800' height='450'>", True),
    ],
)
def test_pictures_outside_the_story_are_not_its_images(markup: str, kept: bool) -> None:
    story = "<p>" + "The council voted on the budget on Tuesday after a long debate. " * 5 + "</p>"
    html = (
        f"<html><body><form><article><h1>Council passes the budget</h1>{story}{markup}{story}</article></form>"
        "</body></html>"
    )
    images = extract_article(html, "https://news.example.com/2024/05/02/budget.html", fetched_at=FETCHED).images
    assert bool(images) is kept
