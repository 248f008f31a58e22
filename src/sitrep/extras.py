"""The optional parts of sitrep, installed as package extras, and the error that names the extra.

Ray (≈ 600 MB with Ray Data) and psycopg serve only the users who run ``--engine ray`` or
``--db postgresql://…``, so a plain ``pip install sitrep`` leaves them out. Code that needs one
imports it through ``require``: when it is missing the user gets ``MissingExtra``, whose message
is the one line to act on (``pip install 'sitrep[ray]'``), which the CLI prints without a traceback.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Extra:
    """One optional part: the extra's name in pyproject.toml, the module it provides, and what
    it is for (the start of the error message)."""

    name: str
    module: str
    purpose: str

    @property
    def install(self) -> str:
        return f"pip install 'sitrep[{self.name}]'"


RAY = Extra("ray", "ray.data", "the Ray engine (--engine ray)")
POSTGRES = Extra("postgres", "psycopg", "the PostgreSQL store (--db postgresql://…)")


class MissingExtra(RuntimeError):
    """An optional part is not installed (or does not import); the message names the extra."""

    def __init__(self, extra: Extra, cause: ImportError):
        top = extra.module.split(".")[0]
        if isinstance(cause, ModuleNotFoundError) and (cause.name or "").split(".")[0] == top:
            state = "is not installed"
        else:  # installed but broken (e.g. psycopg without its libpq): say why, on the same line
            state = f"does not import ({' '.join(str(cause).split())})"
        super().__init__(f"{extra.purpose} needs {top}, which {state}: {extra.install}")
        self.extra = extra


def require(extra: Extra) -> ModuleType:
    """The extra's module, imported; ``MissingExtra`` when it cannot be. The top-level package
    is imported first: a submodule already in ``sys.modules`` says nothing about whether its
    package still imports."""
    try:
        importlib.import_module(extra.module.split(".")[0])
        return importlib.import_module(extra.module)
    except ImportError as exc:
        raise MissingExtra(extra, exc) from exc
