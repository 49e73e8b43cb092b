"""Tests of newscrawl.normalize.text: clean strings, fold keys, body cleaning, title affixes, word counts."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from newscrawl.normalize.media import split_caption_credit
from newscrawl.normalize.text import (
    clean_body,
    clean_text,
    count_words,
    fold_for_compare,
    strip_title_affixes,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Hello   world \n", "Hello world"),
        ("Hel\u00adlo wo\u200brld\u200c\u200d\u2060\ufeff", "Hello world"),
        ("a\u00a0b\u202fc\u2009d\u3000e\tf", "a b c d e f"),
        ("Cafe\u0301", "Café"),
        ("line one\nline two", "line one line two"),
        ("", ""),
        ("\u200b \u00ad", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected
    assert unicodedata.is_normalized("NFC", clean_text(raw))


@pytest.mark.parametrize(
    ("a", "b", "equal"),
    [
        ("Xi’s Moscow visit – a herald", "Xi's Moscow visit - a herald", True),
        ("“Quoted”  TEXT.", '"quoted" text', True),
        ("Straße", "STRASSE", True),
        ("Hello, world!", "hello world", True),
        ("Sino-Russian", "Sino Russian", True),
        ("Hello world", "Hello there", False),
    ],
)
def test_fold_for_compare(a: str, b: str, equal: bool) -> None:
    assert (fold_for_compare(a) == fold_for_compare(b)) is equal


def test_clean_body_drops_repeats_chrome_and_credits() -> None:
    paragraphs = [
        "The Headline",
        "The standfirst of the story.",
        "A caption of the image",
        "Photo credit: Jane Doe",
        "First real paragraph of the story, long enough to matter.",
        "First real paragraph of the story, long enough to matter.",
        "Advertisement",
        "Anzeige",
        "Publicité",
        "Werbung",
        "Share this article",
        "Sign up for our newsletter",
        "Follow us on Twitter and Facebook",
        "Lesen Sie auch: Ein anderer Artikel über etwas",
        "Also read: Another story on this site",
        "We use cookies to improve your experience. By continuing you accept our policy.",
        "© Jane Doe",
        "",
        "   ",
        "Second\u00ad paragraph\u200b here.",
        "Read more",
    ]
    assert clean_body(
        paragraphs,
        title="The Headline",
        description="The standfirst of the story.",
        captions=["A caption of the image"],
        credits=["Jane Doe"],
    ) == [
        "First real paragraph of the story, long enough to matter.",
        "Second paragraph here.",
    ]


def test_clean_body_never_cuts_a_long_paragraph_that_starts_like_chrome() -> None:
    long = (
        "Read more carefully, the minister said, and you will find that the report of the committee "
        "contradicts every figure the government published last spring about the hospital waiting lists."
    )
    cookies = (
        "We use cookies in this sentence only as an example of an article about browser privacy, and the "
        "paragraph goes on for a long time to explain what regulators in Brussels decided about consent "
        "banners, which publishers must change by the summer, according to the new rules."
    )
    assert clean_body([long, cookies]) == [long, cookies]


def test_clean_body_intertitles_and_order_survive() -> None:
    body = ["Intro paragraph.", "An intertitle", "More text.", "An intertitle", "End."]
    assert clean_body(body) == body


def test_seed_article(shared_dir: Path) -> None:
    seed = shared_dir / "data/seed"
    blocks = seed.joinpath("article.txt").read_text(encoding="utf-8").split("\n\n")
    expected = json.loads(seed.joinpath("expected.json").read_text(encoding="utf-8"))
    _, credit = split_caption_credit(None, blocks[3])
    assert credit is not None
    body = clean_body(blocks, title=blocks[0], description=blocks[1], captions=[blocks[2]], credits=[credit])
    assert body == expected["body"].split("\n\n")
    joined = "\n\n".join(body)
    for forbidden in expected["body_must_not_contain"]:
        assert forbidden not in joined


@pytest.mark.parametrize(
    ("title", "site_names", "expected"),
    [
        ("Xi visits Moscow | Example News", ["Example News"], "Xi visits Moscow"),
        ("Xi visits Moscow - Example News", ["Example News"], "Xi visits Moscow"),
        ("Xi visits Moscow – Example News", ["Example News"], "Xi visits Moscow"),
        ("Xi visits Moscow — Example News", ["Example News"], "Xi visits Moscow"),
        ("Xi visits Moscow :: Example News", ["Example News"], "Xi visits Moscow"),
        ("Example News | Xi visits Moscow", ["Example News"], "Xi visits Moscow"),
        ("Example News: Xi visits Moscow", ["Example News"], "Xi visits Moscow"),
        ("Xi visits Moscow | www.example.com", ["Example"], "Xi visits Moscow"),
        ("Xi visits Moscow | Example", ["example.com"], "Xi visits Moscow"),
        ("Xi visits Moscow | EXAMPLE NEWS", ["Example News"], "Xi visits Moscow"),
        ("Xi visits Moscow | World | Example News", ["Example News"], "Xi visits Moscow | World"),
        ("Xi visits Moscow | Other Site", ["Example News"], "Xi visits Moscow | Other Site"),
        ("Xi visits Moscow | Example News", [], "Xi visits Moscow | Example News"),
        ("Example News", ["Example News"], "Example News"),
        ("| Example News", ["Example News"], "| Example News"),
        ("Sino-Russian ties grow", ["Russian"], "Sino-Russian ties grow"),
        ("Putin: talks with Xi were useful", ["Example News"], "Putin: talks with Xi were useful"),
        ("  Spaced\u00a0 title | Example  ", ["Example"], "Spaced title"),
    ],
)
def test_strip_title_affixes(title: str, site_names: list[str], expected: str) -> None:
    assert strip_title_affixes(title, site_names) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("one two  three\nfour", 4),
        ("今日は天気", 5),
        ("東京 Tokyo 2023", 4),
        ("สวัสดีครับ", 10),
        ("안녕하세요 세계", 2),
        ("Hello, world!", 2),
    ],
)
def test_count_words(text: str, expected: int) -> None:
    assert count_words(text) == expected


@pytest.mark.parametrize(
    "chrome",
    [
        "Order Reprints",
        "Print Article",
        "Thanks for signing up!",
        "There was an error processing your subscription.",
        "DON'T MISS",
        "Write to Al Root at allen.root@example.com",
        "Follow @ExampleDeals on Twitter to keep up with the latest deals.",
        "Get the latest updates right in your inbox. Subscribe to Example's newsletters.",
        "[button link=\"http://example.com/submit/\" type=\"big\"] Send us YOUR review[/button]",
        "This copy is for your personal, non-commercial use only. To order presentation-ready copies, call.",
    ],
)
def test_clean_body_drops_reprint_newsletter_and_contact_lines(chrome: str) -> None:
    story = "The council approved the plan on Monday after a long debate about costs and benefits."
    assert clean_body([story, chrome]) == [story]


@pytest.mark.parametrize(
    "kept",
    [
        "http://amzn.to/2iJFhRj",
        "Copyright 2019 Hawaii News Now. All rights reserved.",
        "Contact tracing apps were downloaded two million times in the first week, the ministry said.",
    ],
)
def test_clean_body_keeps_links_copyrights_and_prose_that_start_alike(kept: str) -> None:
    story = "The council approved the plan on Monday after a long debate about costs and benefits."
    assert clean_body([story, kept]) == [story, kept]
