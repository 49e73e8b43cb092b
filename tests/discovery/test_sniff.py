"""sniff: what a body given with ``-a url=...`` is, from its bytes first, then content type, then URL."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newscrawl.discovery import sniff

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("news_sitemap.xml", "sitemap"),
        ("yoast_index.xml", "sitemap"),
        ("text_sitemap.txt", "sitemap"),
        ("wordpress_rss2.xml", "feed"),
        ("atom.xml", "feed"),
        ("rdf.xml", "feed"),
        ("robots.txt", "robots"),
        ("section_page.html", "html"),
    ],
)
def test_sniff_data_files_by_content_alone(file_name: str, expected: str) -> None:
    body = (DATA / file_name).read_bytes()
    assert sniff(body, None, "https://www.example.com/x") == expected
    assert sniff(gzip.compress(body), "application/octet-stream", "https://www.example.com/x") == expected


@pytest.mark.parametrize(
    ("body", "content_type", "url", "expected"),
    [
        (b"\xef\xbb\xbf  <!-- hi --><!DOCTYPE html><html>", None, "https://x.example/", "html"),
        (b"<HTML><HEAD>", "text/plain", "https://x.example/", "html"),
        (b"<ns0:urlset xmlns:ns0='x'>", None, "https://x.example/", "sitemap"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', None, "https://x.example/", "feed"),
        (b"", "application/rss+xml", "https://x.example/", "feed"),
        (b"", "text/html; charset=utf-8", "https://x.example/", "html"),
        (b"<?xml version='1.0'?><foo/>", "application/xml", "https://x.example/sitemap-2.xml", "sitemap"),
        (b"<?xml version='1.0'?><foo/>", "text/xml", "https://x.example/feed/", "feed"),
        (b"", None, "https://x.example/robots.txt", "robots"),
        (b"\x00\x01binary", "image/png", "https://x.example/logo.png", "unknown"),
    ],
)
def test_sniff_falls_back_from_bytes_to_type_to_url(
    body: bytes, content_type: str | None, url: str, expected: str
) -> None:
    assert sniff(body, content_type, url) == expected
