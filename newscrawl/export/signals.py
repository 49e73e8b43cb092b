"""Signals the crash-safe feed storage sends while it delivers a file, for the manifest and the crawl state.

Each file goes through three steps; a process killed between any two leaves a state the next run can resolve:

* ``batch_opened(part_path)``: a ``.part`` file was created; until delivered it may be cut short.
* ``batch_ready(part_path, final_path, feed_format)``: the ``.part`` file is complete and synced and is
  about to be renamed to ``final_path``. Handlers make durable whatever they must redo if the rename
  happened but the process died before ``batch_delivered``.
* ``batch_delivered(path, digest, feed_format)``: the file now exists under its final ``path``;
  ``digest`` is a :class:`newscrawl.export.files.FileDigest`.

Handlers are called synchronously (``send_catch_log``), so their work is done before the next step.
"""

from __future__ import annotations

batch_opened = object()
batch_ready = object()
batch_delivered = object()
