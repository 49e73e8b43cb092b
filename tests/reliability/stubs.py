"""Test doubles loaded by name into a crawl: a resolver that answers from a table instead of asking DNS."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from newscrawl.reliability.resolver import SafeResolver


class TableResolver(SafeResolver):
    """SafeResolver whose raw answers come from NEWSCRAWL_TEST_HOSTS (JSON name -> IP); no DNS query leaves.

    Everything after the raw answer (the policy check, the refusal bookkeeping) is the production code.
    """

    table: ClassVar[dict[str, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> Any:
        resolver = super().from_crawler(crawler, reactor)
        raw = crawler.settings.get("NEWSCRAWL_TEST_HOSTS") or "{}"
        resolver.table = json.loads(raw) if isinstance(raw, str) else dict(raw)
        return resolver

    def lookup(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[str]:
        address = self.table.get(name.lower())
        if address is None:
            return defer.fail(DNSLookupError(f"{name} is not in the test host table"))
        return defer.succeed(address)
