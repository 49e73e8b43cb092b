"""Whether to fetch an article URL this run: new, changed by its sitemap or feed entry, due for a revisit."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


class Decision(enum.Enum):
    FETCH = "new"
    """Never fetched (or expired): a plain GET."""
    REVALIDATE_CHANGED = "changed_entry"
    """The sitemap or feed entry's modification date moved on since the last fetch: a conditional GET."""
    REVALIDATE_REVISIT = "revisit"
    """Recent and not checked for a while: a conditional GET, in case the story was updated."""
    SKIP = "skipped"
    """Known, unchanged by every sign we have: not requested."""

    @property
    def conditional(self) -> bool:
        return self in (Decision.REVALIDATE_CHANGED, Decision.REVALIDATE_REVISIT)


@dataclass(frozen=True)
class PageState:
    """What the store remembers about one article URL."""

    url: str
    first_fetched: float
    """Unix time of the first fetch: an article is "recent" relative to it."""
    fetched_at: float
    etag: str | None = None
    last_modified: str | None = None
    entry_modified: str | None = None
    """The sitemap ``lastmod`` / feed ``updated`` the URL had at its last fetch, as printed."""


@dataclass(frozen=True)
class RevisitPolicy:
    """Re-check recent articles for updates: each at most every ``interval`` seconds while younger than
    ``window`` seconds (since its first fetch). ``window`` 0 turns revisits off."""

    window: float = 24 * 3600.0
    interval: float = 3600.0


def parse_entry_date(text: str) -> datetime | None:
    """A sitemap (W3C / ISO 8601) or feed (RFC 822) date as an aware datetime, or None."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    # A date without an offset (often a bare day) is read as UTC: hours off at worst, and comparable.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def entry_changed(previous: str | None, current: str | None, fetched_at: float) -> bool:
    """Whether an entry's modification date says the page changed since it was fetched.

    Against the date recorded at the last fetch when there is one: only a later date counts, since a sitemap
    and a feed may give one article different dates and the older must not set off a re-fetch (dates that
    cannot be compared count when their text differs). Without one (the page was found through a link),
    the date counts when it is after the fetch.
    """
    if not current or current == previous:
        return False
    after = parse_entry_date(current)
    if not previous:
        # Entry dates are printed to the second at best: one in the same second as the fetch may be later
        # than it, and a revalidation (a conditional GET) is cheap where a missed update is not.
        return after is not None and after.timestamp() >= math.floor(fetched_at)
    before = parse_entry_date(previous)
    if before is not None and after is not None:
        return after > before
    return True


def decide(known: PageState | None, entry_modified: str | None, now: float,
           policy: RevisitPolicy) -> Decision:
    """What to do with an article URL the spider wants to fetch."""
    if known is None:
        return Decision.FETCH
    if entry_changed(known.entry_modified, entry_modified, known.fetched_at):
        return Decision.REVALIDATE_CHANGED
    if (policy.window > 0 and now - known.first_fetched < policy.window
            and now - known.fetched_at >= policy.interval):
        return Decision.REVALIDATE_REVISIT
    return Decision.SKIP
