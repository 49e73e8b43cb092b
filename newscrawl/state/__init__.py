"""Crawl state across runs: skip what was delivered, re-check what may have changed, version what did."""

from __future__ import annotations

from newscrawl.state.addon import StateAddon

__all__ = ["StateAddon"]
