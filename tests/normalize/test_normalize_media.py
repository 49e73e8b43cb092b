"""Tests of newscrawl.normalize.media: credits cut out of captions and stripped of their labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from normalize_tables import none_if, read_table

from newscrawl.normalize.media import split_caption_credit

CAPTION_ROWS = read_table("captions.tsv", 4)


def test_table_is_broad_enough() -> None:
    assert len(CAPTION_ROWS) >= 60


@pytest.mark.parametrize(("caption", "credit", "expected_caption", "expected_credit"), CAPTION_ROWS)
def test_split_caption_credit_table(
    caption: str, credit: str, expected_caption: str, expected_credit: str
) -> None:
    assert split_caption_credit(caption or None, credit or None) == (
        none_if(expected_caption),
        none_if(expected_credit),
    )


def test_seed_credit(shared_dir: Path) -> None:
    expected = json.loads((shared_dir / "data/seed/expected.json").read_text(encoding="utf-8"))
    image = expected["images"][0]
    got = split_caption_credit(None, "Photo credit: Kremlin: Clicked by: Grigoriy Sisoev, RIA Novosti")
    assert got == (None, image["credit"])


def test_results_are_clean_text() -> None:
    caption, credit = split_caption_credit("Rescue\u200b workers\u00ad here", "Foto:\u00a0dpa")
    assert caption == "Rescue workers here"
    assert credit == "dpa"


@pytest.mark.parametrize("hostile", ["(" * 500, "Photo: " * 300, "©" * 1000, "a/" * 2000, "|" * 100])
def test_hostile_captions_never_crash(hostile: str) -> None:
    caption, credit = split_caption_credit(hostile, hostile)
    assert caption is None or isinstance(caption, str)
    assert credit is None or isinstance(credit, str)
