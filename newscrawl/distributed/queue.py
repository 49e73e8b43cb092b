"""The shared request queue: scrapy-redis's priority queue, made so a killed worker loses no request."""

from __future__ import annotations

import collections
import gc
import weakref
from typing import Any

from scrapy import Request, Spider
from scrapy_redis.queue import PriorityQueue

from newscrawl.distributed.state import CrawlState


class ReliablePriorityQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's ``PriorityQueue`` with the reliable-queue pattern.

    ``pop`` moves a request into the worker's own processing set in the same atomic step (scrapy-redis removes
    it outright, so a worker killed with SIGKILL loses everything it had taken). The request leaves that set
    when Scrapy lets go of it: the engine holds a request until its response went through the callback, the
    item pipelines and the feed exporter, and every request it produced was pushed here. That moment is seen
    through a weak reference, so no part of Scrapy has to be patched. A worker that dies stops its heartbeat,
    and a live worker moves its processing set back into the queue (``CrawlState.release_dead``).
    """

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None, *,
                 state: CrawlState, worker: str) -> None:
        super().__init__(server, spider, key, serializer)
        self.state = state
        self.worker = worker
        # Filled by weakref finalizers, which may run during garbage collection on any thread; a deque's
        # append and popleft are atomic, and Redis is only called from the reactor thread in flush_finished.
        self._finished: collections.deque[bytes] = collections.deque()
        self._held: set[bytes] = set()
        self._data_of: weakref.WeakKeyDictionary[Request, bytes] = weakref.WeakKeyDictionary()
        # Requests whose records sit in feed batches not delivered yet (count of such records), and those of
        # them Scrapy is already done with: parked in Redis until the delivery.
        self._awaiting_delivery: dict[bytes, int] = {}
        self._parked: set[bytes] = set()

    def push(self, request: Request) -> None:
        self.state.push(self._encode_request(request), request.priority)

    def pop(self, timeout: int = 0) -> Request | None:
        data = self.state.pop(self.worker)
        if data is None:
            return None
        request: Request = self._decode_request(data)
        self._held.add(data)
        self._data_of[request] = data
        finalizer = weakref.finalize(request, self._finished.append, data)
        # At interpreter exit nothing can be acknowledged any more; what is left is requeued by the others.
        finalizer.atexit = False
        return request

    def flush_finished(self) -> int:
        """Acknowledges, in one Redis call, the requests Scrapy is done with; returns how many."""
        done: list[bytes] = []
        parked: list[bytes] = []
        while self._finished:
            data = self._finished.popleft()
            if data in self._held:
                self._held.discard(data)
                if data in self._awaiting_delivery:
                    self._parked.add(data)
                    parked.append(data)
                else:
                    done.append(data)
        self.state.ack(self.worker, done)
        self.state.park(self.worker, parked)
        return len(done)

    def hold_for_delivery(self, request: Request | None) -> bytes | None:
        """A record of ``request`` went into a feed batch that is not delivered yet: keep the request until it
        is, so that a worker killed before the delivery has the request redone. Returns the handle for
        :meth:`delivered`, None for a request this queue did not hand out."""
        data = self._data_of.get(request) if request is not None else None
        if data is not None:
            self._awaiting_delivery[data] = self._awaiting_delivery.get(data, 0) + 1
        return data

    def delivered(self, handles: list[bytes]) -> None:
        """The batches holding these records were delivered."""
        unpark: list[bytes] = []
        for data in handles:
            left = self._awaiting_delivery.get(data, 0) - 1
            if left > 0:
                self._awaiting_delivery[data] = left
                continue
            self._awaiting_delivery.pop(data, None)
            if data in self._parked:
                self._parked.discard(data)
                unpark.append(data)
        self.state.unpark(self.worker, unpark)

    def settle(self) -> int:
        """When idle or closing: collect reference cycles still holding finished requests, then ack."""
        if self._held:
            gc.collect()
        return self.flush_finished()
