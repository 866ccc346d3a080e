"""What each article file held when a build last read it, so an unchanged rebuild reads none.

Planning needs, for every article, its content hash (the graph's name) and its build key;
both come from the file's text, which costs reading and cleaning every file. The cache keeps
them per file beside the embedded store (``kg-read-cache.json`` in the store's folder, which
Oxigraph leaves alone), under the file's absolute path, with the file's size, modification
and change times and inode, as ``git`` keeps its index. A file whose four values are unchanged
is taken as unchanged; any edit changes the change time, which no tool can set back, and a
moved file is read again (its build key then finds it unchanged). A file changed less than
:data:`RACY_SECONDS` before it was read is not cached (a second edit within the file system's
time resolution could keep all four values). The cache only says what a file holds, never
what the store holds, so a stale or lost cache costs a read, never a wrong build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "kg-read-cache.json"
FORMAT = 1
RACY_SECONDS = 2.0
_READERS_DIR = Path(__file__).parent / "ingest"

Entry = tuple[str, str, str]  # (a record's "#N" within its file, or "", article id, build key)


class ReadCache:
    """The articles (``Entry``) each file held at the last build, valid while the file's stat
    and the extraction inputs (``stamp``) are unchanged. ``ReadCache(None, ...)`` caches nothing."""

    def __init__(self, file: Path | None, stamp: str) -> None:
        self.file = file
        self.inputs = f"{stamp} {_readers_hash()}"
        self._old = self._load() if file is not None else {}
        self._new: dict[str, list[object]] = {}
        self._pending: dict[str, list[int]] = {}

    @classmethod
    def beside(cls, store: object, stamp: str) -> ReadCache:
        """The cache in an embedded on-disk store's folder; none for other stores."""
        location = getattr(store, "location", None)
        return cls(location / FILE_NAME if isinstance(location, Path) and location.is_dir() else None, stamp)

    def known(self, path: Path) -> list[Entry] | None:
        """The entries ``path`` held when last read, if it has not changed since; None otherwise."""
        if self.file is None:
            return None
        name = os.path.abspath(path)
        hit = self._new.get(name)
        if hit is not None:
            return _entries(hit)  # read again in this build (its second pass)
        try:
            info = os.stat(name)
        except OSError:
            return None
        sig = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
        old = self._old.get(name)
        if old is not None and old[:4] == sig and (entries := _entries(old)) is not None:
            self._new[name] = old
            return entries
        if time.time() - max(info.st_mtime, info.st_ctime) >= RACY_SECONDS:
            self._pending[name] = sig
        return None

    def remember(self, path: Path, entries: Sequence[Entry]) -> None:
        """Record what ``path`` held, read just after :meth:`known` missed it."""
        sig = self._pending.pop(os.path.abspath(path), None)
        if sig is not None:
            self._new[os.path.abspath(path)] = [*sig, [list(e) for e in entries]]

    def save(self, roots: Sequence[Path]) -> None:
        """Write the cache: the files read now, and those of the old cache outside ``roots``
        (another corpus built into the same store). Never raises: a cache is optional."""
        if self.file is None:
            return
        named = {os.path.abspath(r) for r in roots}
        under = tuple(os.path.join(r, "") for r in named)
        kept = {k: v for k, v in self._old.items() if k not in self._new and k not in named
                and not k.startswith(under)}
        files = {**kept, **self._new}
        if files == self._old:
            return
        tmp = self.file.with_name(self.file.name + ".tmp")
        try:
            tmp.write_text(json.dumps({"format": FORMAT, "inputs": self.inputs, "files": files},
                                      separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.file)
        except OSError as err:
            log.warning("cannot write the read cache %s: %s", self.file, err)

    def _load(self) -> dict[str, list[object]]:
        """The cached files, or nothing when the file is missing, unreadable, or for other inputs."""
        assert self.file is not None
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        ok = isinstance(data, dict) and data.get("format") == FORMAT and data.get("inputs") == self.inputs
        files = data.get("files") if ok else None
        return files if isinstance(files, dict) else {}


def _entries(record: object) -> list[Entry] | None:
    """The entries of one cached file record; None for a malformed one (the file is read)."""
    items = record[4] if isinstance(record, list) and len(record) == 5 else None
    if not isinstance(items, list) or not all(isinstance(e, list) and len(e) == 3 for e in items):
        return None
    return [(str(p), str(i), str(k)) for p, i, k in items]


def _readers_hash() -> str:
    """A hash of the readers' sources: a new kg that reads files differently starts afresh."""
    h = hashlib.sha256()
    for path in sorted(_READERS_DIR.glob("*.py")):
        h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()[:12]


__all__ = ["FILE_NAME", "ReadCache"]
