"""Reliability on the open web: unsafe targets refused, sites paced as asked, every dropped page counted."""

from __future__ import annotations

from newscrawl.reliability.addon import ReliabilityAddon

__all__ = ["ReliabilityAddon"]
