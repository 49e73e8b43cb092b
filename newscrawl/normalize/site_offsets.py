"""A site's UTC offset learned from the dates it states with one, for its dates printed without."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from newscrawl.items import Article

# A timed ISO 8601 string as the normaliser writes it; the offset group is absent on naive times.
_TIMED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?P<offset>[+-]\d{2}:\d{2})?$")


@dataclass
class OffsetLearner:
    """Counts the offsets one site states (pages, sitemap, feed) and proposes one for its naive times.

    A site that prints "+05:30" on most pages and a bare "10:15" on the rest is in that offset on the rest too.
    Only a clear majority counts: a site whose offsets change with daylight saving (two values near half
    each) teaches nothing, and its naive times stay naive rather than get a guessed offset.
    """

    min_observations: int = 3
    min_share: float = 0.8
    offsets: Counter[str] = field(default_factory=Counter)

    def observe(self, iso: str | None) -> None:
        match = _TIMED.match(iso or "")
        if match and match["offset"]:
            self.offsets[match["offset"]] += 1

    def learned(self) -> str | None:
        """The offset (``+05:30``) a clear majority of observations agree on, else ``None``."""
        total = sum(self.offsets.values())
        if total < self.min_observations:
            return None
        offset, count = self.offsets.most_common(1)[0]
        return offset if count / total >= self.min_share else None

    def localise(self, iso: str | None) -> str | None:
        """``iso`` with the learned offset when it is a naive time; anything else unchanged."""
        match = _TIMED.match(iso or "")
        offset = self.learned()
        if not match or match["offset"] or offset is None or iso is None:
            return iso
        # Round-trip through datetime so that what is returned is a valid instant, not a pasted string.
        return datetime.fromisoformat(iso + offset).isoformat()

    def learn_and_apply(self, article: Article) -> None:
        """Observe the article's own dates, then give its naive times the learned offset, flagged in
        provenance as ``<field>.timezone: learned``."""
        for name in ("published_at", "modified_at"):
            value = getattr(article, name)
            self.observe(value)
            localised = self.localise(value)
            if localised != value:
                setattr(article, name, localised)
                article.provenance[f"{name}.timezone"] = "learned"
