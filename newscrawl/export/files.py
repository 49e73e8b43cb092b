"""File operations that keep a consumer from ever seeing a half-written output file under its final name."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from w3lib.url import file_uri_to_path

PART_SUFFIX = ".part"
"""Files are written under ``<final name>.part``; consumers must ignore such names."""

_READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileDigest:
    """What a consumer needs to check that it received a delivered file whole."""

    lines: int
    size: int
    sha256: str


def digest_file(path: Path) -> FileDigest:
    """Line count, byte size and SHA-256 of the file as it is on disk (read in 1 MiB chunks)."""
    sha = hashlib.sha256()
    lines = size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            sha.update(chunk)
            lines += chunk.count(b"\n")
            size += len(chunk)
    return FileDigest(lines=lines, size=size, sha256=sha.hexdigest())


def feed_uri_path(uri: str) -> Path:
    """The local path a ``file:`` or scheme-less feed URI names."""
    return Path(file_uri_to_path(uri) if uri.startswith("file:") else uri)


def part_path(final: Path) -> Path:
    return final.with_name(final.name + PART_SUFFIX)


def free_name(final: Path) -> Path:
    """``final`` if that name is free, else ``<stem>.<n><suffix>``: a delivered file is never replaced."""
    if not final.exists():
        return final
    number = 1
    while True:
        candidate = final.with_name(f"{final.stem}.{number}{final.suffix}")
        if not candidate.exists():
            return candidate
        number += 1


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` survive a power cut, not only a crash of this process."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def promote(part: Path, final: Path) -> None:
    """Give a complete ``.part`` file its final name in one atomic step."""
    os.replace(part, final)
    fsync_directory(final.parent)


def write_json_atomically(path: Path, data: Any) -> None:
    """Write JSON to ``path`` so that readers see the old content or the new one, never a mix or a stub."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = part_path(path)
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    promote(temporary, path)
