"""Tests of newscrawl.normalize.authors: bylines in many languages to person names as printed."""

from __future__ import annotations

import pytest
from normalize_tables import read_table

from newscrawl.normalize.authors import clean_authors, opens_with_author_label, split_authors

BYLINE_ROWS = read_table("bylines.tsv", 3)


def test_table_is_broad_enough() -> None:
    assert len(BYLINE_ROWS) >= 60


@pytest.mark.parametrize(("raw", "site_names", "expected"), BYLINE_ROWS)
def test_clean_authors_table(raw: str, site_names: str, expected: str) -> None:
    names = [name for name in site_names.split(",") if name]
    wanted = [name for name in expected.split(" ; ") if name]
    assert clean_authors([raw], site_names=names) == wanted


def test_several_sources_are_merged_in_order_without_duplicates() -> None:
    assert clean_authors(["By Jane Doe", "JANE DOE", "jane doe and John Roe"]) == ["Jane Doe", "John Roe"]


def test_organisation_only_when_no_person_across_all_bylines() -> None:
    assert clean_authors(["Reuters", "Jane Doe"]) == ["Jane Doe"]
    assert clean_authors(["Reuters", "AFP"]) == ["Reuters", "AFP"]


def test_site_name_never_beside_a_person() -> None:
    assert clean_authors(["The Daily Example", "Jane Doe"], site_names=["The Daily Example"]) == ["Jane Doe"]


@pytest.mark.parametrize(
    "hostile",
    [
        [],
        [""],
        ["   "],
        ["\u200b"],
        ["x" * 5000],
        ["a, " * 2000],
        ["By " * 100],
        ["(((((("],
        ["Jane Doe\x00"],
    ],
)
def test_hostile_input_never_crashes(hostile: list[str]) -> None:
    result = clean_authors(hostile)
    assert isinstance(result, list)
    assert all(isinstance(name, str) and name and len(name) < 200 for name in result)


def test_a_long_sentence_is_not_a_name() -> None:
    assert clean_authors(["This article was produced with the support of a foundation grant programme"]) == []


def test_a_byline_signed_with_a_web_address_is_the_publishers() -> None:
    assert split_authors(["Deutsche Welle (www.dw.com)"]) == ([], ["Deutsche Welle"])
    assert clean_authors(["Example Radio (https://radio.example.org)", "Jane Doe"]) == ["Jane Doe"]


@pytest.mark.parametrize(
    ("text", "is_byline"),
    [
        ("Autorin/Autor Roman Goncharenko", True),
        ("By Jane Doe", True),
        ("Text: Anna Berg", True),
        ("Por Juan Pérez", True),
        ("Par Élise Dupont", True),
        ("By the numbers", False),
        ("by jane doe", False),
        ("Byron Smith", False),
        ("Bylines", False),
    ],
)
def test_a_printed_field_opening_with_an_author_label(text: str, is_byline: bool) -> None:
    assert opens_with_author_label(text) is is_byline
