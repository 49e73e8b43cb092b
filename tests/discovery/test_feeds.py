"""Feeds: RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed entries become EntryHints with raw dates and authors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscrawl.discovery import DiscoveryError, parse_feed
from newscrawl.hints import ImageHint

DATA = Path(__file__).resolve().parent / "data"


def test_wordpress_rss_item_with_media_content_and_dc_creator() -> None:
    document = parse_feed((DATA / "wordpress_rss2.xml").read_bytes(), "https://daily.example.com/feed/")
    assert document.title == "Example Daily – News"
    assert document.language == "en-GB"
    item = document.entries[0]
    assert item.source == "feed"
    assert item.url == "https://daily.example.com/local/council-approves-new-cycle-lanes/?utm_source=rss"
    assert item.title == "Council approves new & improved cycle lanes"
    assert item.published == "Tue, 21 Mar 2023 10:15:00 +0000"
    assert item.authors == ("Jane Doe", "John Smith")
    assert item.tags == ("Local", "Transport")
    assert item.language == "en-GB"
    # HTML stripped, entities decoded, script dropped, paragraphs kept apart
    assert item.description == "The council voted 9–2 for the plan. Work starts in May."
    # the video and the thumbnail nested in the image are not images of their own
    assert item.images == (
        ImageHint(
            url="https://daily.example.com/wp-content/uploads/lanes.jpg",
            caption="A new lane on High Street.",
            credit="Photo: Alex Example",
            title="Cycle lane",
        ),
    )


def test_rss_permalink_guid_author_and_image_enclosures() -> None:
    document = parse_feed((DATA / "wordpress_rss2.xml").read_bytes(), "https://daily.example.com/feed/")
    item = document.entries[1]
    assert item.url == "https://daily.example.com/2023/03/20/permalink-guid-only-story/"
    assert item.authors == ("news@example.com (Newsdesk)",)
    assert [image.url for image in item.images] == [
        "https://daily.example.com/img/guid.png",
        "https://daily.example.com/img/guid-thumb.jpg",
    ]
    # the third item's guid is not a permalink and it has no link
    assert len(document.entries) == 2
    assert document.skipped == 1


def test_atom_entry_alternate_link_dates_authors_and_media_group() -> None:
    document = parse_feed((DATA / "atom.xml").read_bytes(), "https://nachrichten.example.de/atom.xml")
    assert document.title == "Beispiel Nachrichten"
    assert document.language == "de"
    entry = document.entries[0]
    assert entry.url == "https://nachrichten.example.de/wirtschaft/einigung-im-tarifstreit-100.html"
    assert entry.title == "Bahn & Bund: Einigung im Tarifstreit"
    assert entry.published == "2024-11-22T08:30:00+01:00"
    assert entry.modified == "2024-11-22T10:05:00+01:00"
    assert entry.authors == ("Erika Mustermann", "Max Mustermann")
    assert entry.tags == ("Wirtschaft", "Bahn")
    assert entry.description == "Nach monatelangem Streit gibt es eine Einigung."
    assert entry.images == (
        ImageHint(
            url="https://nachrichten.example.de/bilder/bahn.jpg",
            caption="Ein ICE im Hauptbahnhof",
            credit="dpa/Max Muster",
        ),
    )


def test_atom_entry_inherits_feed_author_and_reads_xhtml_content() -> None:
    document = parse_feed((DATA / "atom.xml").read_bytes(), "https://nachrichten.example.de/atom.xml")
    entry = document.entries[1]
    assert entry.authors == ("Redaktion Beispiel",)
    assert entry.published is None
    assert entry.modified == "2024-11-21T18:00:00Z"
    assert entry.description == "Erster Absatz. Zweiter Absatz."
    assert document.skipped == 1  # the entry with neither link nor http id


def test_rdf_feed_with_dc_date_and_creator() -> None:
    document = parse_feed((DATA / "rdf.xml").read_bytes(), "https://www.example-tech.de/")
    assert document.title == "Example Tech"
    assert document.language == "de-DE"
    first, second = document.entries
    assert first.url == "https://www.example-tech.de/news/Neue-Grafikkarte-vorgestellt-9691259.html?wt_mc=rss"
    assert first.title == "Neue Grafikkarte vorgestellt: Schneller und günstiger"
    assert first.published == "2024-04-16T14:32:00+02:00"
    assert first.authors == ("Hans Beispiel",)
    assert first.tags == ("Hardware",)
    assert first.description == "Der Hersteller verspricht 30 % mehr Leistung & weniger Verbrauch."
    # without <link>, the item's rdf:about is its URL
    assert second.url == "https://www.example-tech.de/news/Zweite-Meldung-ohne-Link-Element-9691260.html"


def test_latin1_feed_is_decoded_by_its_declaration() -> None:
    body = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Süd</title>'
        "<item><title>Grüße aus München</title><link>https://www.example.de/gruesse-aus-muenchen-und-bayern</link>"
        "</item></channel></rss>"
    ).encode("latin-1")
    document = parse_feed(body, "https://www.example.de/")
    assert document.title == "Süd"
    assert document.entries[0].title == "Grüße aus München"


def test_json_feed_items() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Example JSON",
        "language": "en",
        "authors": [{"name": "Desk"}],
        "items": [
            {
                "id": "1",
                "url": "https://www.example.com/2024/05/01/json-feed-story/",
                "title": "JSON story",
                "content_html": "<p>Hello <b>world</b></p>",
                "date_published": "2024-05-01T10:00:00-04:00",
                "tags": ["a", "b"],
                "image": "https://www.example.com/i.jpg",
            },
            {"id": "2", "content_text": "no url"},
        ],
    }
    document = parse_feed(json.dumps(feed).encode(), "https://www.example.com/feed.json")
    (entry,) = document.entries
    assert entry.description == "Hello world"
    assert entry.authors == ("Desk",)
    assert entry.published == "2024-05-01T10:00:00-04:00"
    assert entry.images == (ImageHint(url="https://www.example.com/i.jpg"),)
    assert document.skipped == 1


@pytest.mark.parametrize(
    "body",
    [b"", b"<urlset><url><loc>https://x.example/a</loc></url></urlset>", b"<html><p>404</p></html>", b"{}"],
    ids=["empty", "sitemap", "html", "json-not-a-feed"],
)
def test_non_feeds_raise_discovery_error(body: bytes) -> None:
    with pytest.raises(DiscoveryError):
        parse_feed(body, "https://www.example.com/")
