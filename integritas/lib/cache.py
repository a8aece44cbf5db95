"""A cache that every process on the machine shares, with nothing written to disk.

Web workers and the background worker are separate processes, so a per-process memory cache
would give each its own rate-limit counters and its own record of one-time form tokens (a token
claimed in one worker could be claimed again in another). This cache keeps one file per entry in
a memory-backed folder (``/dev/shm``, a tmpfs on Linux, by default). Writes (``add``, ``set``,
``incr``, ``touch``, ``delete``) hold one lock file, so they never interleave across processes;
a write replaces an entry's file by renaming a new one over it, so a read sees the old value or
the new one, never half of each. ``incr`` keeps the entry's expiry.

Installations spread over several machines need a cache they all reach (Django's database cache,
or a cache server); docs/operations.md says so.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import random
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.exceptions import ImproperlyConfigured
from django.core.files import locks

SUFFIX = ".entry"
LOCK_FILE = "lock"
PURGE_ONE_IN = 200  # about one write in this many also removes expired entries


class SharedMemoryCache(BaseCache):
    """A file per entry in a folder of this user's alone, with writes atomic across processes."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.folder = Path(location).resolve()
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The folder sits where every local user may create folders (/dev/shm): refuse one that
        # someone else made or that others may read, rather than trust what is in it.
        info = os.stat(self.folder, follow_symlinks=False)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise ImproperlyConfigured(
                f"The cache folder {self.folder} must be a folder of this user that nobody else "
                "may read or write (mode 700)."
            )

    # -- files ------------------------------------------------------------------------------

    def _path(self, key: Any, version: int | None) -> Path:
        return self._place(key, version)[1]

    def _place(self, key: Any, version: int | None) -> tuple[str, Path]:
        """The full key (with prefix and version) and the file that holds its entry."""
        name = self.make_and_validate_key(key, version=version)
        return name, self.folder / (hashlib.sha256(name.encode()).hexdigest() + SUFFIX)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.folder / LOCK_FILE, "a+b") as handle:
            locks.lock(handle, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(handle)

    @staticmethod
    def _load(path: Path) -> tuple[str, float | None, Any] | None:
        """The entry's (key, expiry, value), or None when it is missing or has expired."""
        try:
            with open(path, "rb") as handle:
                key, expiry, value = pickle.load(handle)  # noqa: S301 - our own files, mode 700
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            return None
        if expiry is not None and expiry <= time.time():
            return None
        return key, expiry, value

    def _read(self, path: Path) -> tuple[float | None, Any] | None:
        """The entry's (expiry, value), or None when it is missing or has expired."""
        entry = self._load(path)
        return None if entry is None else (entry[1], entry[2])

    def _write(self, path: Path, key: str, expiry: float | None, value: Any) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.folder)
        with open(fd, "wb") as handle:
            pickle.dump((key, expiry, value), handle, pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        if random.randrange(PURGE_ONE_IN) == 0:  # noqa: S311 - spreading clean-up, not security
            self._purge_expired()

    def _purge_expired(self) -> None:
        for path in self.folder.glob("*" + SUFFIX):
            if self._load(path) is None:
                path.unlink(missing_ok=True)

    def entries(self) -> dict[str, Any]:
        """What the cache holds now, by full key: for checking what is kept (tests, operators)."""
        found = (self._load(path) for path in self.folder.glob("*" + SUFFIX))
        return {entry[0]: entry[2] for entry in found if entry is not None}

    # -- the cache API ----------------------------------------------------------------------

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        entry = self._read(self._path(key, version))
        return default if entry is None else entry[1]

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._read(self._path(key, version)) is not None

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        name, path = self._place(key, version)
        with self._locked():
            self._write(path, name, self.get_backend_timeout(timeout), value)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        name, path = self._place(key, version)
        with self._locked():
            if self._read(path) is not None:
                return False
            self._write(path, name, self.get_backend_timeout(timeout), value)
            return True

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        """Add ``delta`` to a stored number, keeping its expiry; ValueError when it is missing."""
        name, path = self._place(key, version)
        with self._locked():
            entry = self._read(path)
            if entry is None:
                raise ValueError(f"Key '{key}' not found")
            expiry, value = entry
            value += delta
            self._write(path, name, expiry, value)
            return value

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        name, path = self._place(key, version)
        with self._locked():
            entry = self._read(path)
            if entry is None:
                return False
            self._write(path, name, self.get_backend_timeout(timeout), entry[1])
            return True

    def delete(self, key: Any, version: int | None = None) -> bool:
        path = self._path(key, version)
        with self._locked():
            existed = self._read(path) is not None
            path.unlink(missing_ok=True)
            return existed

    def clear(self) -> None:
        with self._locked():
            for path in self.folder.glob("*" + SUFFIX):
                path.unlink(missing_ok=True)
