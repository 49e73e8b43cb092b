"""The pure decisions behind the add-on: Retry-After reading, nesting depth, charset repair."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.reliability.middlewares import nesting_depth, repaired_encoding
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


def test_a_correct_declaration_is_left_alone() -> None:
    assert repaired_encoding("Городской совет".encode("cp1251"), "cp1251") is None
