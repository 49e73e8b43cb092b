"""The shared state of one distributed crawl in Redis: key names and the atomic operations on them."""

from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import dataclass
from typing import Any, cast

import redis

#: Every key of a crawl starts with this, so one Redis can hold many crawls and other data.
KEY_PREFIX = "newscrawl"

# Each script runs atomically in Redis: two workers can never both take the same request, both claim the same
# article, or both requeue the same dead worker's requests. Time comes from Redis (TIME), not from the
# workers, so clocks that differ between machines do not expire fingerprints early or declare live workers
# dead.

# KEYS: queue, processing.  Moves the best request (lowest score = highest priority) to the worker's
# processing set, keeping its score so that a requeue restores its priority.
_POP = """
local best = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #best == 0 then return false end
redis.call('ZREM', KEYS[1], best[1])
redis.call('ZADD', KEYS[2], best[2], best[1])
return best[1]
"""

# KEYS: seen zset [, claims set].  ARGV: member, ttl seconds.  1 when the member was added within ttl, else
# records it (and, with a claims set, notes it as this worker's unconfirmed claim) and returns 0. Expired
# members are removed on the way, so the set holds at most what was added during one ttl.
_SEEN_OR_ADD = """
local now = tonumber(redis.call('TIME')[1])
local ttl = tonumber(ARGV[2])
local added = redis.call('ZSCORE', KEYS[1], ARGV[1])
if added and tonumber(added) > now - ttl then return 1 end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('ZADD', KEYS[1], now, ARGV[1])
if KEYS[2] then redis.call('SADD', KEYS[2], ARGV[1]) end
return 0
"""

# KEYS: workers.  ARGV: worker id.  Returns Redis's clock, for the worker's start time.
_HEARTBEAT = """
local now = tonumber(redis.call('TIME')[1])
redis.call('ZADD', KEYS[1], now, ARGV[1])
return now
"""

# KEYS: workers, queue, exported.  ARGV: key prefix of the crawl, timeout seconds [, worker id].
# Without a worker id: every worker whose heartbeat is older than the timeout is dead. With one: that worker
# (a fresh process taking over its own id, or a worker that stops). A dead worker's requests go back to the
# queue and its unconfirmed article claims are released, so another worker redoes exactly its unfinished work.
_RELEASE = """
local prefix, workers = ARGV[1], {}
if ARGV[3] then
  workers = {ARGV[3]}
else
  local now = tonumber(redis.call('TIME')[1])
  workers = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
end
local requeued = 0
for _, worker in ipairs(workers) do
  local processing = prefix .. 'processing:' .. worker
  local items = redis.call('ZRANGE', processing, 0, -1, 'WITHSCORES')
  for i = 1, #items, 2 do
    redis.call('ZADD', KEYS[2], items[i + 1], items[i])
    requeued = requeued + 1
  end
  redis.call('DEL', processing)
  local parked = prefix .. 'parked:' .. worker
  items = redis.call('ZRANGE', parked, 0, -1, 'WITHSCORES')
  for i = 1, #items, 2 do
    redis.call('ZADD', KEYS[2], items[i + 1], items[i])
    requeued = requeued + 1
  end
  redis.call('DEL', parked)
  local claims = prefix .. 'claims:' .. worker
  for _, member in ipairs(redis.call('SMEMBERS', claims)) do
    redis.call('ZREM', KEYS[3], member)
  end
  redis.call('DEL', claims)
  redis.call('ZREM', KEYS[1], worker)
end
return {requeued, #workers}
"""

# KEYS: processing, parked.  ARGV: members.  Finished requests whose records wait in a feed batch not yet
# delivered: still the worker's (requeued if it dies), no longer work in progress.
_PARK = """
for _, member in ipairs(ARGV) do
  local score = redis.call('ZSCORE', KEYS[1], member)
  if score then
    redis.call('ZREM', KEYS[1], member)
    redis.call('ZADD', KEYS[2], score, member)
  end
end
return #ARGV
"""

# KEYS: workers, queue.  ARGV: key prefix.  1 when nothing is queued and no worker holds a request: the crawl
# is done for now (a worker that holds one may still add more).
_DRAINED = """
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
for _, worker in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('ZCARD', ARGV[1] .. 'processing:' .. worker) > 0 then return 0 end
end
return 1
"""


def default_worker_id() -> str:
    """``hostname-pid``: unique among the live workers of a cluster, and readable in file names and logs."""
    return f"{socket.gethostname()}-{os.getpid()}"


def member_digest(text: str) -> bytes:
    """A short, fixed-size set member for a URL: memory per remembered URL does not grow with its length."""
    return hashlib.sha1(text.encode("utf-8")).digest()


@dataclass(frozen=True)
class CrawlKeys:
    """Names of the Redis keys of one crawl (one site): ``newscrawl:<crawl>:<what>``."""

    crawl: str

    @property
    def prefix(self) -> str:
        return f"{KEY_PREFIX}:{self.crawl}:"

    @property
    def queue(self) -> str:
        """Sorted set of serialized requests waiting to be fetched, scored by minus their priority."""
        return self.prefix + "requests"

    @property
    def seen(self) -> str:
        """Sorted set of request fingerprints of pages fetched, scored by when (expire after the seen TTL)."""
        return self.prefix + "seen"

    @property
    def discovery_seen(self) -> str:
        """Like ``seen``, for sitemaps, feeds and listing pages: a short TTL so they are read again."""
        return self.prefix + "seen-discovery"

    @property
    def exported(self) -> str:
        """Sorted set of canonical-URL digests of articles exported by any worker, scored by when."""
        return self.prefix + "exported"

    @property
    def workers(self) -> str:
        """Sorted set of worker ids scored by their last heartbeat."""
        return self.prefix + "workers"

    @property
    def stop(self) -> str:
        """Redis time of the last ``newscrawl stop``: workers started before it stop once the crawl drains."""
        return self.prefix + "stop"

    def processing(self, worker: str) -> str:
        """Sorted set of the requests a worker took and has not finished (members and scores as queue)."""
        return f"{self.prefix}processing:{worker}"

    def parked(self, worker: str) -> str:
        """Sorted set of a worker's finished requests whose records are in a feed batch not yet delivered."""
        return f"{self.prefix}parked:{worker}"

    def claims(self, worker: str) -> str:
        """Set of article digests one worker claimed in ``exported`` and has not yet written to its file."""
        return f"{self.prefix}claims:{worker}"


class CrawlState:
    """Atomic operations on one crawl's keys; one instance per component, all sharing a connection pool."""

    def __init__(self, server: redis.Redis, crawl: str) -> None:
        self.server = server
        self.keys = CrawlKeys(crawl)
        self._pop = server.register_script(_POP)
        self._seen_or_add = server.register_script(_SEEN_OR_ADD)
        self._heartbeat = server.register_script(_HEARTBEAT)
        self._release = server.register_script(_RELEASE)
        self._drained = server.register_script(_DRAINED)
        self._park = server.register_script(_PARK)

    # -------------------------------------------------------------------------------------------- requests
    def push(self, data: bytes, priority: int) -> None:
        self.server.zadd(self.keys.queue, {data: -priority})

    def pop(self, worker: str) -> bytes | None:
        """The next request for ``worker``, kept in its processing set until :meth:`ack`."""
        data = self._pop(keys=[self.keys.queue, self.keys.processing(worker)])
        return cast("bytes | None", data)

    def ack(self, worker: str, items: list[bytes]) -> None:
        """The requests are finished: their responses are handled and what they produced is stored."""
        if items:
            self.server.zrem(self.keys.processing(worker), *items)

    def park(self, worker: str, items: list[bytes]) -> None:
        """The requests are finished but their records are not delivered yet (see ``CrawlKeys.parked``)."""
        if items:
            self._park(keys=[self.keys.processing(worker), self.keys.parked(worker)], args=items)

    def unpark(self, worker: str, items: list[bytes]) -> None:
        """The records of these parked requests are delivered: the requests are done."""
        if items:
            self.server.zrem(self.keys.parked(worker), *items)

    def queued(self) -> int:
        return int(self.server.zcard(self.keys.queue))

    # -------------------------------------------------------------------------------------------- filters
    def seen_or_add(self, key: str, member: bytes, ttl: int, claims: str | None = None) -> bool:
        """True if ``member`` was added to ``key`` under ``ttl`` seconds ago; else adds it, False."""
        keys = [key, claims] if claims else [key]
        return bool(self._seen_or_add(keys=keys, args=[member, ttl]))

    # -------------------------------------------------------------------------------------------- workers
    def heartbeat(self, worker: str) -> int:
        """Says ``worker`` is alive; returns Redis's clock (seconds)."""
        return int(cast(int, self._heartbeat(keys=[self.keys.workers], args=[worker])))

    def release_dead(self, timeout: float) -> tuple[int, int]:
        """Requeues the work of every worker silent for ``timeout`` seconds: (requests requeued, workers)."""
        requeued, workers = cast(list[int], self._release(
            keys=[self.keys.workers, self.keys.queue, self.keys.exported],
            args=[self.keys.prefix, int(timeout)],
        ))
        return int(requeued), int(workers)

    def release_worker(self, worker: str) -> int:
        """Requeues ``worker``'s unfinished requests and forgets it; returns how many were requeued."""
        requeued, _ = cast(list[int], self._release(
            keys=[self.keys.workers, self.keys.queue, self.keys.exported],
            args=[self.keys.prefix, 0, worker],
        ))
        return int(requeued)

    def confirm_claim(self, worker: str, member: bytes) -> None:
        """The claimed article is in the worker's file: the claim survives the worker's death from now on."""
        self.server.srem(self.keys.claims(worker), member)

    def drained(self) -> bool:
        return bool(self._drained(keys=[self.keys.workers, self.keys.queue], args=[self.keys.prefix]))

    def request_stop(self) -> int:
        """Asks the workers running now to stop once the crawl is drained; returns the time of the request."""
        seconds, _ = self.server.time()
        self.server.set(self.keys.stop, seconds)
        return int(seconds)

    def stop_requested_at(self) -> int | None:
        value = self.server.get(self.keys.stop)
        return int(value) if value is not None else None

    def status(self) -> dict[str, Any]:
        """What an operator wants to see: queue length, live workers and what each holds."""
        workers = cast(list[tuple[bytes, float]],
                       self.server.zrange(self.keys.workers, 0, -1, withscores=True))
        return {
            "crawl": self.keys.crawl,
            "queued": self.queued(),
            "seen": int(self.server.zcard(self.keys.seen)),
            "exported": int(self.server.zcard(self.keys.exported)),
            "workers": {
                name.decode(): {
                    "heartbeat": int(beat),
                    "processing": int(self.server.zcard(self.keys.processing(name.decode()))),
                    "parked": int(self.server.zcard(self.keys.parked(name.decode()))),
                }
                for name, beat in workers
            },
            "stop_requested_at": self.stop_requested_at(),
        }

    def reset(self) -> int:
        """Deletes every key of the crawl (queue, fingerprints, exported marks, workers); returns how many."""
        names = list(self.server.scan_iter(match=self.keys.prefix + "*", count=1000))
        return int(self.server.delete(*names)) if names else 0


def connect(url: str) -> redis.Redis:
    """A client for ``url`` (``redis://host:port/db``), checked with a PING so a wrong URL fails at start."""
    try:
        server = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10,
                                      retry_on_timeout=True)
        server.ping()
    except redis.RedisError as error:
        raise DistributedCrawlError(f"cannot reach Redis at {url}: {error}") from error
    return server


class DistributedCrawlError(Exception):
    """The distributed crawl cannot run: Redis unreachable, a bad setting, an unknown site."""
