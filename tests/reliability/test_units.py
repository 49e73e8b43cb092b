"""The pure decisions behind the add-on: Retry-After reading, nesting depth, charset repair."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.reliability.middlewares import nesting_depth, page_charset_over_default_label, repaired_encoding
from newscrawl.reliability.pacing import retry_after_seconds

NOW = datetime(2024, 3, 5, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (b"120", 120.0),
        ("0", 0.0),
        ("Tue, 05 Mar 2024 10:00:30 GMT", 30.0),
        ("Tue, 05 Mar 2024 09:00:00 GMT", 0.0),  # a date in the past: retry now
        ("-5", None),
        ("soon", None),
        ("", None),
        (None, None),
        ("inf", None),
    ],
)
def test_retry_after_is_read_as_seconds_or_an_http_date(
    header: bytes | str | None, seconds: float | None
) -> None:
    assert retry_after_seconds(header, now=NOW) == seconds


@pytest.mark.parametrize(
    ("markup", "depth"),
    [
        (b"<div><p>a<p>b</div>", 1),
        (b"<div><div><span>x</span></div></div>", 3),
        (b"<div>" * 10 + b"</div>" * 10, 10),
        (b"<p>" * 1000, 0),  # paragraphs close each other
        (b"<DIV><Section>", 2),
    ],
)
def test_nesting_depth_counts_elements_that_really_nest(markup: bytes, depth: int) -> None:
    assert nesting_depth(markup) == depth


def test_a_latin1_page_declaring_utf8_is_re_decoded() -> None:
    body = ("<html><head><meta charset='utf-8'></head><body>" + "Le café était fermé. " * 20).encode(
        "latin-1"
    )
    encoding = repaired_encoding(body, "utf-8")
    assert encoding is not None
    assert "Le café était fermé." in body.decode(encoding)


def test_one_stray_byte_does_not_overrule_a_true_utf8_declaration() -> None:
    body = ("<p>" + "Grüße aus Köln, schöne Straße. " * 20 + "</p>").encode("utf-8") + b"\xff"
    assert repaired_encoding(body, "utf-8") is None


JAPANESE_TEXT = "市議会は火曜日に予算を可決した。" * 20
JAPANESE_PAGE = f"<html><head><meta charset='shift_jis'></head><body>{JAPANESE_TEXT}".encode("shift_jis")


def test_a_page_meta_charset_overrules_the_servers_latin1_default_when_it_decodes_the_page() -> None:
    assert page_charset_over_default_label(JAPANESE_PAGE, "cp1252", "shift_jis") == "cp932"
    french = "<meta charset='utf-8'><p>Le café était fermé.</p>".encode()
    assert page_charset_over_default_label(french, "cp1252", "utf-8") == "utf-8"


@pytest.mark.parametrize(
    ("body", "labelled", "in_page"),
    [
        # A label the server was configured with is not a default: the first check alone judges it.
        (JAPANESE_PAGE, "utf-8", "shift_jis"),
        # The meta is the one that is wrong: the page really is Latin-1.
        ("<meta charset='utf-8'><p>Le café était fermé.</p>".encode("latin-1"), "cp1252", "utf-8"),
        # Nothing to decode differently.
        (b"<meta charset='shift_jis'><p>plain ASCII</p>", "cp1252", "shift_jis"),
    ],
)
def test_the_latin1_default_stands_otherwise(body: bytes, labelled: str, in_page: str) -> None:
    assert page_charset_over_default_label(body, labelled, in_page) is None


def test_a_correct_declaration_is_left_alone() -> None:
    assert repaired_encoding("Городской совет".encode("cp1251"), "cp1251") is None
