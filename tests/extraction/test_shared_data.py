"""The gate: extract_article never raises on the real evaluation pages, and every record validates."""

from __future__ import annotations

import pytest
from shared_pages import SHARED, shared_pages

from newscrawl.extraction import extract_article
from newscrawl.schema import schema_errors

PAGES = list(shared_pages()) if SHARED.is_dir() else []


@pytest.mark.skipif(not PAGES, reason="../shared/data is not there: evaluation pages unavailable")
def test_every_real_page_gives_a_valid_record_without_raising() -> None:
    failures: list[str] = []
    empty_bodies = 0
    for page_id, html, url in PAGES:
        try:
            record = extract_article(html, url).to_dict()
        except Exception as error:
            failures.append(f"{page_id}: raised {error!r}")
            continue
        errors = schema_errors(record)
        if errors:
            failures.append(f"{page_id}: {errors[:3]}")
        empty_bodies += not record["body"]
    assert failures == []
    # Every evaluation page is an article: an empty body means extraction lost the story.
    assert empty_bodies == 0
    assert len(PAGES) >= 300
