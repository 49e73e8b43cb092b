"""Learning a site's UTC offset from its own dates, and applying it only to naive times."""

from __future__ import annotations

from newscrawl.normalize.site_offsets import OffsetLearner


def _learner(*isos: str) -> OffsetLearner:
    learner = OffsetLearner()
    for iso in isos:
        learner.observe(iso)
    return learner


def test_a_clear_majority_is_learned_and_applied_to_naive_times_only() -> None:
    learner = _learner("2023-03-21T10:15:00+05:30", "2023-03-22T09:00:00+05:30", "2023-03-23T08:00:00+05:30")
    assert learner.learned() == "+05:30"
    assert learner.localise("2023-03-24T07:30:00") == "2023-03-24T07:30:00+05:30"
    assert learner.localise("2023-03-24T07:30:00-04:00") == "2023-03-24T07:30:00-04:00"
    assert learner.localise("2023-03-24") == "2023-03-24"  # a day stays a day
    assert learner.localise(None) is None


def test_too_few_observations_teach_nothing() -> None:
    learner = _learner("2023-03-21T10:15:00+05:30", "2023-03-22T09:00:00+05:30")
    assert learner.learned() is None
    assert learner.localise("2023-03-24T07:30:00") == "2023-03-24T07:30:00"


def test_a_site_split_between_offsets_stays_naive() -> None:
    """Daylight saving: +01:00 in winter, +02:00 in summer; neither is safe to assume."""
    learner = _learner(*(["2023-01-10T10:00:00+01:00"] * 3 + ["2023-07-10T10:00:00+02:00"] * 3))
    assert learner.learned() is None


def test_naive_and_day_only_dates_are_not_observations() -> None:
    learner = _learner("2023-03-21T10:15:00", "2023-03-21", "garbage", "2023-03-21T10:15:00Z")
    assert learner.offsets == {}
