"""One run per site at a time: an exclusive lock the operating system drops when the holding process dies."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class RunLockedError(RuntimeError):
    """Another run of the same site holds the lock; this run must not start."""


class RunLock:
    """An ``flock`` on ``path``; the file's text names the holder so the refusal can say who it is.

    ``flock`` rather than a pid file: the kernel releases it when the holder exits in any way (SIGKILL,
    OOM killer, power loss), so there is never a stale lock to clean up by hand.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._descriptor: int | None = None

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    def acquire(self, holder: str) -> None:
        """Take the lock without waiting, or raise :class:`RunLockedError` naming the current holder."""
        if self._descriptor is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            current = os.pread(descriptor, 4096, 0).decode("utf-8", "replace").strip() or "unknown"
            os.close(descriptor)
            raise RunLockedError(
                f"another run holds {self.path} ({current}); refusing to start a second run of the same site"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, holder.encode("utf-8"), 0)
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor is None:
            return
        descriptor, self._descriptor = self._descriptor, None
        os.ftruncate(descriptor, 0)
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)
