"""The real evaluation pages in ../shared/data (fundus, then AEB) as (id, html bytes, url), for the tests here."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
FALLBACK_URL = "https://example.com/"


def shared_pages() -> Iterator[tuple[str, bytes, str]]:
    """Every page of both sets that is there; a page without a known URL gets ``FALLBACK_URL``."""
    fundus = SHARED / "fundus"
    manifest = fundus / "_derived" / "manifest.jsonl"
    if manifest.is_file():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                yield row["id"], gzip.decompress((fundus / row["html"]).read_bytes()), row["url"] or FALLBACK_URL
    aeb = SHARED / "article-extraction-benchmark"
    truth_file = aeb / "ground-truth.json"
    if truth_file.is_file():
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        for item_id in sorted(truth):
            html = gzip.decompress((aeb / "html" / f"{item_id}.html.gz").read_bytes())
            yield f"aeb/{item_id[:12]}", html, truth[item_id].get("url") or FALLBACK_URL
