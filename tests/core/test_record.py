"""The Article record: every key always present, the shipped schema accepts good records and rejects bad ones."""

from __future__ import annotations

import dataclasses

from newscrawl.items import Article, Image
from newscrawl.schema import article_schema, schema_errors


def _article(**changes: object) -> Article:
    article = Article(
        url="https://news.example.com/2023/03/21/story.html",
        canonical_url="https://news.example.com/2023/03/21/story.html",
        site="example.com",
        title="A headline",
        body="First paragraph.\n\nSecond paragraph.",
        word_count=4,
        fetched_at="2023-03-21T11:00:00+00:00",
        published_at="2023-03-21T10:15:00+05:30",
        published_raw="March 21, 2023 10:15 IST",
        images=[Image(url="https://news.example.com/a.jpg", caption="A caption", credit="AP", is_cover=True)],
        provenance={"title": "jsonld", "published_at": "meta"},
    )
    article.content_hash = article.compute_content_hash()
    return dataclasses.replace(article, **changes)  # type: ignore[arg-type]


def test_schema_lists_every_field_of_the_article_as_required() -> None:
    fields = [f.name for f in dataclasses.fields(Article)]
    assert article_schema()["required"] == fields
    assert set(article_schema()["properties"]) == set(fields)


def test_a_complete_record_is_valid() -> None:
    assert schema_errors(_article().to_dict()) == []


def test_unknown_values_are_null_or_empty_never_sentinels() -> None:
    record = _article().to_dict()
    assert record["description"] is None
    assert record["authors"] == []
    assert schema_errors({**record, "description": ""})  # an empty string is not "unknown"


def test_dates_must_be_iso_8601_in_one_of_the_three_forms() -> None:
    for good in ("2023-03-21", "2023-03-21T10:15:00", "2023-03-21T10:15:00-04:00"):
        assert schema_errors(_article(published_at=good).to_dict()) == [], good
    for bad in ("21/03/2023", "2023-03-21 10:15", "NULL", "2023-03-21T10:15"):
        assert schema_errors(_article(published_at=bad).to_dict()), bad


def test_fetched_at_is_utc() -> None:
    assert schema_errors(_article(fetched_at="2023-03-21T11:00:00+05:30").to_dict())


def test_body_with_zero_width_characters_or_soft_hyphens_is_rejected() -> None:
    assert schema_errors(_article(body="in\u00advisible").to_dict())
    assert schema_errors(_article(body="zero\u200bwidth").to_dict())


def test_missing_key_and_extra_key_are_both_errors() -> None:
    record = _article().to_dict()
    del record["tags"]
    assert any("tags" in message for message in schema_errors(record))
    assert schema_errors({**_article().to_dict(), "NULL": None})


def test_content_hash_changes_with_the_text_only() -> None:
    a = _article()
    refetched = dataclasses.replace(a, fetched_at="2024-01-01T00:00:00+00:00")
    assert a.compute_content_hash() == refetched.compute_content_hash()
    assert a.compute_content_hash() != dataclasses.replace(a, body=a.body + " More.").compute_content_hash()
