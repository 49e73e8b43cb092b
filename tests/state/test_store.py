"""The SQLite state store: what it remembers, how a half-done delivery is finished, what expires."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscrawl.state.store import (
    ArticleVersion,
    FetchRecord,
    StateStore,
    StateStoreError,
    versions_in_jsonlines,
)

NOW = 1_700_000_000.0
A = "https://example.com/news/a.html"


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    opened = StateStore(tmp_path / "state" / "site.sqlite")
    opened.open()
    yield opened
    opened.close()


def _jsonl(path: Path, *versions: ArticleVersion) -> Path:
    path.write_text("".join(json.dumps({"canonical_url": v.canonical_url, "content_hash": v.content_hash,
                                        "version": v.version, "title": "t"}) + "\n" for v in versions))
    return path


def test_a_delivery_commits_versions_and_fetches_together(store: StateStore, tmp_path: Path) -> None:
    version = ArticleVersion(A, "sha256:1", 1)
    fetch = FetchRecord(A, NOW, "new", canonical_url=A, etag='"x"', entry_modified="2024-05-10")
    store.commit_delivery(_jsonl(tmp_path / "f.jsonl", version), [version], [fetch], NOW)
    reopened = StateStore(store.path)
    reopened.open()
    assert reopened.article(A) == version
    page = reopened.page(A)
    assert page is not None and page.etag == '"x"' and page.entry_modified == "2024-05-10"
    reopened.close()


def test_recover_commits_a_file_renamed_before_the_crash_and_forgets_one_never_renamed(
        store: StateStore, tmp_path: Path) -> None:
    delivered = _jsonl(tmp_path / "delivered.jsonl", ArticleVersion(A, "sha256:2", 2))
    store.stage_delivery(delivered, NOW)
    store.stage_delivery(tmp_path / "never-renamed.jsonl", NOW)
    assert store.recover(NOW) == (1, 1)
    assert store.article(A) == ArticleVersion(A, "sha256:2", 2)
    assert store.counts()["deliveries"] == 0


def test_a_later_recovery_never_lowers_a_version(store: StateStore, tmp_path: Path) -> None:
    newer = ArticleVersion(A, "sha256:3", 3)
    store.commit_delivery(tmp_path / "x", [newer], [], NOW)
    store.commit_delivery(tmp_path / "y", [ArticleVersion(A, "sha256:2", 2)], [], NOW)
    assert store.article(A) == newer


def test_entries_expire_unless_seen_again(store: StateStore) -> None:
    old = "https://example.com/news/old.html"
    store.record_fetch(FetchRecord(A, NOW - 100, "unchanged", canonical_url=A))
    store.record_fetch(FetchRecord(old, NOW - 100, "unchanged"))
    store.mark_seen(A, NOW, "2024-05-10")
    store.flush()
    assert store.expire(older_than=NOW - 10) == 1
    assert store.page(old) is None
    page = store.page(A)
    assert page is not None and page.entry_modified == "2024-05-10", "a seen entry's date is its baseline"


def test_a_corrupt_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "site.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateStoreError, match="Move the file away"):
        StateStore(path).open()


def test_unreadable_lines_are_counted_not_fatal(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "f.jsonl", ArticleVersion(A, "sha256:1", 1))
    with path.open("a") as handle:
        handle.write('{"truncated": \n{"title": "no keys"}\n')
    delivered = versions_in_jsonlines(path)
    assert [v.canonical_url for v in delivered.versions] == [A]
    assert delivered.unreadable_lines == 2
