"""Input paths → the files to read, in a deterministic order.

A folder is walked recursively in sorted order so two runs over the same folder read (and number)
the same records in the same order. Hidden files and folders (``.git``, ``.DS_Store``) and
``NAME.meta.json`` sidecars are not documents and are passed over. Symbolic links are not followed
unless asked: a link given by name is reported; links met inside a folder are passed over. When
links are followed, each real folder is walked once, so a link loop cannot recurse forever.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from ..model import IngestError
from .options import ReadOptions
from .sidecar import is_sidecar


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path, options: ReadOptions) -> Iterator[Path]:
    seen: set[str] = set()
    for folder, dirnames, filenames in os.walk(root, followlinks=options.follow_symlinks):
        real = os.path.realpath(folder)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        base = Path(folder)
        dirnames[:] = sorted(
            d for d in dirnames
            if not _hidden(d) and (options.follow_symlinks or not (base / d).is_symlink())
        )
        for name in sorted(filenames):
            path = base / name
            if _hidden(name) or is_sidecar(path):
                continue
            if path.is_symlink() and not options.follow_symlinks:
                continue
            if path.is_file():
                yield path


def expand_paths(paths: Iterable[str | Path] | str | Path,
                 options: ReadOptions | None = None) -> Iterator[Path | IngestError]:
    """Each file to read, or an ``IngestError`` for a path that cannot be read at all."""
    options = options or ReadOptions()
    if isinstance(paths, (str, Path)):
        paths = [paths]
    for given in paths:
        path = Path(given)
        if path.is_symlink() and not options.follow_symlinks:
            yield IngestError(str(path), "is a symbolic link, not followed (follow_symlinks is off)", kind="symlink")
        elif not path.exists():
            yield IngestError(str(path), "no such file or folder", kind="missing")
        elif path.is_dir():
            yield from _walk(path, options)
        elif is_sidecar(path):
            continue  # metadata for another file, read with it
        elif path.is_file():
            yield path
        else:
            yield IngestError(str(path), "not a regular file (a device, socket or pipe)", kind="unsupported")
