"""One site's crawl state in SQLite: what each article URL gave at its last fetch, and what was delivered."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newscrawl.state.policy import PageState

SCHEMA_VERSION = 1
# Writes that need no file delivery (unchanged, not modified, dropped) are committed in groups: losing the
# last few to a crash only costs a re-fetch.
COMMIT_EVERY = 200
SEEN_FLUSH_EVERY = 1000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,           -- the article URL as the spider requests it
    canonical_url TEXT,
    first_fetched REAL NOT NULL,    -- unix time
    fetched_at REAL NOT NULL,
    last_seen REAL NOT NULL,        -- last fetched or listed by a sitemap/feed/section: expiry counts from it
    etag TEXT,
    last_modified TEXT,
    entry_modified TEXT,            -- sitemap lastmod / feed updated at the last fetch, as printed
    outcome TEXT NOT NULL           -- new, updated, unchanged, not_modified, or a drop reason
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,     -- of the last delivered version
    version INTEGER NOT NULL,
    exported_at REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deliveries (
    path TEXT PRIMARY KEY,          -- an output file about to be renamed into place; see commit_delivery
    staged_at REAL NOT NULL
) WITHOUT ROWID;
"""


class StateStoreError(Exception):
    """The state database cannot be used (unreadable, corrupt, or written by an incompatible version)."""


@dataclass(frozen=True)
class ArticleVersion:
    """The delivered version of one article (by canonical URL)."""

    canonical_url: str
    content_hash: str
    version: int


@dataclass(frozen=True)
class FetchRecord:
    """What one fetch of an article URL taught us, to be written to ``pages``."""

    url: str
    fetched_at: float
    outcome: str
    canonical_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    entry_modified: str | None = None


@dataclass(frozen=True)
class DeliveredFile:
    """The article versions found in a delivered JSON Lines file."""

    versions: list[ArticleVersion]
    unreadable_lines: int


def versions_in_jsonlines(path: Path) -> DeliveredFile:
    """The (canonical URL, content hash, version) of each Article record in a JSON Lines file."""
    versions: list[ArticleVersion] = []
    unreadable = 0
    with path.open("rb") as lines:
        for line in lines:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                versions.append(ArticleVersion(str(record["canonical_url"]), str(record["content_hash"]),
                                               int(record["version"])))
            except (ValueError, KeyError, TypeError):
                unreadable += 1
    return DeliveredFile(versions, unreadable)


_UPSERT_PAGE = """
INSERT INTO pages (url, canonical_url, first_fetched, fetched_at, last_seen, etag, last_modified,
                   entry_modified, outcome)
VALUES (:url, :canonical_url, :fetched_at, :fetched_at, :fetched_at, :etag, :last_modified, :entry_modified,
        :outcome)
ON CONFLICT (url) DO UPDATE SET
    canonical_url = COALESCE(excluded.canonical_url, pages.canonical_url),
    fetched_at = excluded.fetched_at,
    last_seen = MAX(pages.last_seen, excluded.last_seen),
    etag = COALESCE(excluded.etag, pages.etag),
    last_modified = COALESCE(excluded.last_modified, pages.last_modified),
    entry_modified = COALESCE(excluded.entry_modified, pages.entry_modified),
    outcome = excluded.outcome
"""
_UPSERT_ARTICLE = """
INSERT INTO articles (canonical_url, content_hash, version, exported_at) VALUES (?, ?, ?, ?)
ON CONFLICT (canonical_url) DO UPDATE SET
    content_hash = excluded.content_hash, version = excluded.version, exported_at = excluded.exported_at
WHERE excluded.version >= articles.version
"""


class StateStore:
    """One site's state database. Opened once per run; every method is cheap (indexed point queries)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._uncommitted = 0
        # URL -> its entry's modification date, if any: kept as the baseline of a page fetched without one.
        self._seen: dict[str, str | None] = {}
        self._seen_at = 0.0

    # --------------------------------------------------------------------------------------------- lifecycle
    def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(self.path, timeout=30.0)
            # WAL: readers never block the writer; FULL: a commit survives a power cut, not only a crash.
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                connection.close()
                raise StateStoreError(f"{self.path} has state schema version {version}; this newscrawl "
                                      f"reads version {SCHEMA_VERSION}. Move the file away to start afresh.")
            connection.executescript(_SCHEMA)
            connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            connection.commit()
        except sqlite3.DatabaseError as error:
            raise StateStoreError(f"cannot use the state database {self.path}: {error}. "
                                  "Move the file away to start afresh.") from error
        self._connection = connection

    @property
    def connection(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StateStoreError(f"the state database {self.path} is not open")
        return self._connection

    def close(self) -> None:
        if self._connection is None:
            return
        self.flush()
        self._connection.close()
        self._connection = None

    def flush(self) -> None:
        """Commit every pending write and the URLs seen since the last flush."""
        if self._seen:
            self.connection.executemany(
                "UPDATE pages SET last_seen = MAX(last_seen, ?), "
                "entry_modified = COALESCE(entry_modified, ?) WHERE url = ?",
                ((self._seen_at, modified, url) for url, modified in self._seen.items()),
            )
            self._seen.clear()
        self.connection.commit()
        self._uncommitted = 0

    # --------------------------------------------------------------------------------------------- reads
    def page(self, url: str) -> PageState | None:
        row = self.connection.execute(
            "SELECT first_fetched, fetched_at, etag, last_modified, entry_modified FROM pages WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return PageState(url, row[0], row[1], row[2], row[3], row[4])

    def article(self, canonical_url: str) -> ArticleVersion | None:
        row = self.connection.execute(
            "SELECT content_hash, version FROM articles WHERE canonical_url = ?", (canonical_url,)
        ).fetchone()
        return ArticleVersion(canonical_url, row[0], row[1]) if row else None

    def counts(self) -> dict[str, int]:
        """Rows per table, for logs and tests."""
        return {table: self.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("pages", "articles", "deliveries")}

    # --------------------------------------------------------------------------------------------- writes
    def record_fetch(self, record: FetchRecord) -> None:
        """Remember a fetch that delivers nothing (unchanged, not modified, dropped)."""
        self.connection.execute(_UPSERT_PAGE, record.__dict__)
        self._count_write()

    def mark_seen(self, url: str, now: float, entry_modified: str | None = None) -> None:
        """A sitemap, feed or section still lists ``url`` (skipped as unchanged): its entry does not expire,
        and an entry date it lacked becomes its baseline."""
        self._seen[url] = entry_modified or self._seen.get(url)
        self._seen_at = now
        if len(self._seen) >= SEEN_FLUSH_EVERY:
            self.flush()

    def stage_delivery(self, path: Path, now: float) -> None:
        """Durably note that ``path`` is about to appear, before it is renamed into place.

        If the process dies after the rename but before :meth:`commit_delivery`, :meth:`recover` finds
        this row and commits the file's versions from the file itself, so nothing is exported twice.
        """
        self.connection.execute("INSERT OR REPLACE INTO deliveries (path, staged_at) VALUES (?, ?)",
                                (str(path), now))
        self.flush()

    def commit_delivery(self, path: Path, versions: Iterable[ArticleVersion], fetches: Iterable[FetchRecord],
                        now: float) -> None:
        """In one transaction: the versions and fetches a delivered file stands for; the file is done."""
        connection = self.connection
        connection.executemany(_UPSERT_ARTICLE, ((version.canonical_url, version.content_hash,
                                                  version.version, now) for version in versions))
        connection.executemany(_UPSERT_PAGE, (record.__dict__ for record in fetches))
        connection.execute("DELETE FROM deliveries WHERE path = ?", (str(path),))
        self.flush()

    def commit_fetched_article(self, version: ArticleVersion, fetch: FetchRecord, now: float) -> None:
        """Without delivery files (no local feed), an article counts as delivered once it is scraped."""
        self.connection.execute(_UPSERT_ARTICLE, (version.canonical_url, version.content_hash,
                                                  version.version, now))
        self.connection.execute(_UPSERT_PAGE, fetch.__dict__)
        self._count_write()

    def recover(self, now: float) -> tuple[int, int]:
        """Finish deliveries a killed run left half done. Returns (files committed, files never delivered)."""
        committed = abandoned = 0
        for (name,) in self.connection.execute("SELECT path FROM deliveries").fetchall():
            path = Path(name)
            if path.exists():
                self.commit_delivery(path, versions_in_jsonlines(path).versions, (), now)
                committed += 1
            else:
                # Never renamed into place: nothing was delivered, its articles are fetched again.
                self.connection.execute("DELETE FROM deliveries WHERE path = ?", (name,))
                abandoned += 1
        self.flush()
        return committed, abandoned

    def expire(self, older_than: float) -> int:
        """Forget URLs not fetched nor listed since ``older_than`` (unix time), and their articles."""
        deleted = self.connection.execute("DELETE FROM pages WHERE last_seen < ?", (older_than,)).rowcount
        self.connection.execute(
            "DELETE FROM articles WHERE exported_at < ? AND canonical_url NOT IN "
            "(SELECT canonical_url FROM pages WHERE canonical_url IS NOT NULL)",
            (older_than,),
        )
        self.flush()
        return deleted

    def _count_write(self) -> None:
        self._uncommitted += 1
        if self._uncommitted >= COMMIT_EVERY:
            self.flush()
