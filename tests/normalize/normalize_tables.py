"""Reads the normaliser tests' tab-separated tables in data/ (one case a row, readable and diffable)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
NONE = "None"
"""How a table spells an expected ``None``; an empty cell is an empty or absent input."""


def read_table(name: str, columns: int) -> list[tuple[str, ...]]:
    """Rows of data/NAME: '#' lines and empty lines skipped, missing trailing cells read as ''."""
    rows: list[tuple[str, ...]] = []
    for number, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), start=1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) > columns:
            raise ValueError(f"{name}:{number}: {len(cells)} cells, expected at most {columns}")
        rows.append(tuple(cells + [""] * (columns - len(cells))))
    return rows


def none_if(cell: str) -> str | None:
    """The cell, or None where the table says None or leaves it empty."""
    return None if cell in ("", NONE) else cell
