"""Which known article URLs a run fetches again: the decision table of the revisit policy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.state.policy import Decision, PageState, RevisitPolicy, decide, entry_changed

FETCHED = datetime(2024, 5, 10, 12, 0, tzinfo=UTC).timestamp()
HOUR = 3600.0
POLICY = RevisitPolicy(window=24 * HOUR, interval=HOUR)


def _known(entry_modified: str | None = "2024-05-10T09:00:00+00:00", first: float = FETCHED) -> PageState:
    return PageState("https://example.com/a.html", first_fetched=first, fetched_at=FETCHED,
                     entry_modified=entry_modified)


# (what the store knows, what the entry says now, minutes after the last fetch, expected decision)
CASES = [
    ("never fetched", None, "2024-05-10T09:00:00+00:00", 5, Decision.FETCH),
    ("same lastmod, checked recently", _known(), "2024-05-10T09:00:00+00:00", 5, Decision.SKIP),
    ("lastmod moved on", _known(), "2024-05-10T13:00:00+00:00", 5, Decision.REVALIDATE_CHANGED),
    ("same instant, other notation", _known(), "2024-05-10T11:00:00+02:00", 5, Decision.SKIP),
    ("older date from another listing", _known(), "2024-05-09T09:00:00+00:00", 5, Decision.SKIP),
    ("RFC 822 feed date after the old one", _known(), "Fri, 10 May 2024 14:00:00 GMT", 5,
     Decision.REVALIDATE_CHANGED),
    ("unparseable text that differs", _known("yesterday"), "today", 5, Decision.REVALIDATE_CHANGED),
    ("found by a link, entry older than the fetch", _known(None), "2024-05-10T11:00:00+00:00", 5,
     Decision.SKIP),
    ("found by a link, entry after the fetch", _known(None), "2024-05-10T12:30:00+00:00", 5,
     Decision.REVALIDATE_CHANGED),
    ("no entry date at all, checked recently", _known(None), None, 5, Decision.SKIP),
    ("recent and due for a revisit", _known(), None, 61, Decision.REVALIDATE_REVISIT),
    ("older than the revisit window", _known(first=FETCHED - 30 * HOUR), None, 61, Decision.SKIP),
]


@pytest.mark.parametrize(("known", "entry", "minutes", "expected"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_decision(known: PageState | None, entry: str | None, minutes: int, expected: Decision) -> None:
    assert decide(known, entry, FETCHED + minutes * 60, POLICY) is expected


def test_revisits_can_be_turned_off() -> None:
    assert decide(_known(), None, FETCHED + 10 * HOUR, RevisitPolicy(window=0)) is Decision.SKIP


def test_a_missing_current_date_is_no_sign_of_change() -> None:
    assert not entry_changed("2024-05-10T09:00:00+00:00", None, FETCHED)
