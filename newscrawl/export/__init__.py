"""Crash-safe delivery of a run's output: ``.part`` files renamed when complete, a manifest, a run lock."""

from __future__ import annotations

from newscrawl.export.addon import DeliveryAddon

__all__ = ["DeliveryAddon"]
