"""Hand-written pages (files in data/) -> the Article fields a reader expects, one check per field."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newscrawl.extraction import extract_article
from newscrawl.schema import schema_errors

DATA = Path(__file__).parent / "data"
EXPECTED: dict[str, dict[str, Any]] = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
FETCHED = datetime(2024, 6, 10, 12, 0, tzinfo=UTC)
URL = "https://news.example.com/2024/05/02/{}"
_TEXT_CHECKS = ("body_starts", "body_has", "body_lacks")


def _article(name: str) -> dict[str, Any]:
    html = (DATA / name).read_bytes()
    return extract_article(html, URL.format(name.removesuffix(".html")), fetched_at=FETCHED).to_dict()


CASES = [
    pytest.param(name, field, value, id=f"{name}:{field}")
    for name, fields in EXPECTED.items()
    for field, value in fields.items()
    if field not in _TEXT_CHECKS
]


@pytest.mark.parametrize(("name", "field", "expected"), CASES)
def test_field_matches_what_the_page_says(name: str, field: str, expected: Any) -> None:
    assert _article(name)[field] == expected


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_keeps_the_story_and_drops_chrome(name: str) -> None:
    body = _article(name)["body"]
    checks = EXPECTED[name]
    if "body_starts" in checks:
        assert body.startswith(checks["body_starts"])
    for snippet in checks.get("body_has", []):
        assert snippet in body
    for snippet in checks.get("body_lacks", []):
        assert snippet not in body


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_record_validates_against_the_shipped_schema(name: str) -> None:
    record = _article(name)
    assert schema_errors(record) == []
    assert record["fetched_at"] == "2024-06-10T12:00:00+00:00"
    assert sum(image["is_cover"] for image in record["images"]) <= 1


def test_provenance_names_the_source_of_each_field() -> None:
    provenance = _article("jsonld_graph.html")["provenance"]
    assert provenance["authors"] == "jsonld"
    assert provenance["published_at"] == "jsonld"
    assert provenance["body"] == "dom"
    assert provenance["canonical_url"] == "dom"
    microdata = _article("microdata.html")["provenance"]
    assert microdata["title"] == "microdata"
    assert microdata["description"] == "meta"


def test_the_site_id_given_by_the_caller_wins_over_the_domain() -> None:
    html = (DATA / "meta_only.html").read_bytes()
    assert extract_article(html, URL.format("x"), site_id="times").site == "times"
    assert extract_article(html, URL.format("x")).site == "example.com"
