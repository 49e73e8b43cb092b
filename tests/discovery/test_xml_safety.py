"""Hostile XML: entity expansion (billion laughs) and external entities (XXE) are never resolved."""

from __future__ import annotations

from pathlib import Path

from newscrawl.discovery import parse_feed, parse_sitemap

DATA = Path(__file__).resolve().parent / "data"


def test_billion_laughs_is_not_expanded() -> None:
    document = parse_sitemap((DATA / "billion_laughs.xml").read_bytes(), "https://www.example.com/")
    assert [entry.url for entry in document.entries] == [
        "https://www.example.com/a-story-about-laughing-out-loud"
    ]
    title = document.entries[0].title or ""
    assert "lollol" not in title


def test_external_entity_pointing_at_a_local_file_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-CONTENT")
    body = (DATA / "xxe_feed.xml").read_bytes().replace(b"SECRET_PATH", str(secret).encode())
    document = parse_feed(body, "https://www.example.com/")
    everything = repr(document)
    assert "TOPSECRET" not in everything
    assert document.entries[0].url == "https://www.example.com/news/a-perfectly-normal-news-story"
