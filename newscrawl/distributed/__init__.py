"""Many machines, one crawl: newscrawl workers sharing a Redis queue and duplicate filter (scrapy-redis)."""

from __future__ import annotations

from newscrawl.distributed.addon import RedisAddon

__all__ = ["RedisAddon"]
