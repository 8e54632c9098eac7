"""pyproject.toml: metadata that current setuptools reads without deprecation warnings."""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_licence_is_an_spdx_expression_not_a_table():
    assert PYPROJECT["project"]["license"] == "MIT"


def test_the_build_asks_for_a_setuptools_that_understands_spdx_licences():
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]  # the first to take `license = "MIT"`


def test_every_console_template_and_static_file_ships_with_the_package():
    from fnmatch import fnmatch

    package = Path(__file__).resolve().parents[2] / "src" / "altegio_server"
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["altegio_server"]
    files = [p.relative_to(package).as_posix() for folder in ("console/templates", "console/static")
             for p in (package / folder).iterdir() if p.is_file()]
    assert files
    assert [f for f in files if not any(fnmatch(f, pattern) for pattern in patterns)] == []
