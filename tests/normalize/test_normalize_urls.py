"""Tests of newscrawl.normalize.urls: tracking removal, registered domains, same-site, canonical choice."""

from __future__ import annotations

import pytest

from newscrawl.normalize.urls import choose_canonical, registered_domain, same_site, strip_tracking


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ex.com/a?utm_source=x&utm_medium=y&id=3", "https://ex.com/a?id=3"),
        ("https://ex.com/a?id=3&fbclid=abc&gclid=1&dclid=2&msclkid=3", "https://ex.com/a?id=3"),
        (
            "https://ex.com/a?mc_cid=1&mc_eid=2&ref=tw&ref_src=twsrc&igshid=9&_ga=1&yclid=2&cmpid=3&ocid=4",
            "https://ex.com/a",
        ),
        ("https://ex.com/a?b=2&a=1&UTM_Campaign=x", "https://ex.com/a?b=2&a=1"),
        ("https://ex.com/a?q=a%20b&page=2#comments", "https://ex.com/a?q=a%20b&page=2"),
        ("https://ex.com/a#top", "https://ex.com/a"),
        ("https://ex.com/a?flag&utm_x=1", "https://ex.com/a?flag"),
        ("https://ex.com/a", "https://ex.com/a"),
        ("https://ex.com/a?reference=1", "https://ex.com/a?reference=1"),
    ],
)
def test_strip_tracking(url: str, expected: str) -> None:
    assert strip_tracking(url) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("https://www.example.com/x", "example.com"),
        ("https://a.b.example.co.jp:8443/x", "example.co.jp"),
        ("http://127.0.0.1:8080/x", "127.0.0.1"),
        ("localhost:8000", "localhost"),
        ("http://localhost/x", "localhost"),
        ("http://[::1]:8080/", "::1"),
        ("EXAMPLE.COM.", "example.com"),
        ("foo.blogspot.com", "foo.blogspot.com"),
    ],
)
def test_registered_domain(value: str, expected: str) -> None:
    assert registered_domain(value) == expected


@pytest.mark.parametrize("bad", ["", "   ", "http://", "https:///path"])
def test_registered_domain_rejects_input_without_host(bad: str) -> None:
    with pytest.raises(ValueError):
        registered_domain(bad)


def test_same_site() -> None:
    assert same_site("https://news.example.co.uk/a", "http://www.example.co.uk/b")
    assert not same_site("https://example.co.uk/a", "https://other.co.uk/a")
    assert not same_site("https://example.com", "")


@pytest.mark.parametrize(
    ("url", "candidates", "expected"),
    [
        ("https://www.ex.com/a?utm_source=x", [], "https://www.ex.com/a"),
        ("https://www.ex.com/a", ["https://ex.com/a?utm_medium=y"], "https://ex.com/a"),
        ("https://www.ex.com/a", ["/story/a?ref=home"], "https://www.ex.com/story/a"),
        ("https://www.ex.com/a", ["https://syndicated.org/a", "https://m.ex.com/a"], "https://m.ex.com/a"),
        ("https://www.ex.com/a", ["javascript:void(0)", "mailto:x@ex.com", "", "  "], "https://www.ex.com/a"),
        ("https://www.ex.com/a", ["http://[broken"], "https://www.ex.com/a"),
    ],
)
def test_choose_canonical(url: str, candidates: list[str], expected: str) -> None:
    assert choose_canonical(url, candidates) == expected
