"""pyproject.toml against the code: every package the code imports is declared, the heavy optional
parts are extras (absent from a default install), and the test install takes every extra."""
from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from sitrep import extras

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def dist_name(requirement: str) -> str:
    """The normalised distribution name of a requirement ("psycopg[binary]==3.3.9" → "psycopg")."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


def imported_top_level_modules() -> dict[str, str]:
    """Every third-party top-level module imported anywhere in src/sitrep → one file importing it."""
    found: dict[str, str] = {}
    for path in sorted((REPO / "src" / "sitrep").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top != "sitrep":
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def test_every_imported_package_is_declared():
    """A package reached only through another's dependencies (srsly through spaCy, starlette
    through FastAPI) can vanish when that one changes: what the code imports, it declares."""
    declared = {dist_name(r) for r in PROJECT["dependencies"]}
    declared |= {dist_name(r) for name, reqs in PROJECT["optional-dependencies"].items() if name != "test"
                 for r in reqs}
    providers = importlib.metadata.packages_distributions()
    modules = imported_top_level_modules()
    assert {"spacy", "srsly", "ray", "psycopg"} <= set(modules)  # the scan sees imports inside functions
    undeclared = {module: where for module, where in modules.items()
                  if not {dist_name(d) for d in providers.get(module, [module])} & declared}
    assert not undeclared, undeclared


def test_ray_and_psycopg_are_extras_named_by_the_code():
    default = {dist_name(r) for r in PROJECT["dependencies"]}
    assert not {"ray", "psycopg", "psycopg-binary"} & default
    optional = PROJECT["optional-dependencies"]
    for extra in (extras.RAY, extras.POSTGRES):
        assert extra.name in optional, extra
        top = extra.module.split(".")[0]
        assert top in {dist_name(r) for r in optional[extra.name]}, (extra, optional[extra.name])


def test_the_test_install_takes_every_extra():
    """scripts/test.sh installs through install.sh --test: it must get Ray and psycopg too, or
    their tests would not run in CI."""
    script = (REPO / "scripts" / "install.sh").read_text(encoding="utf-8")
    installed = re.search(r"pip install -q -e '\.\[([a-z,]+)\]'", script)
    assert installed is not None
    assert set(installed.group(1).split(",")) == set(PROJECT["optional-dependencies"])


def test_license_is_an_spdx_string():
    """The TOML-table form is deprecated (setuptools warns on every build); the string form needs
    setuptools ≥ 77 at build time."""
    assert PROJECT["license"] == "MIT"
    build = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    assert "setuptools>=77" in build
