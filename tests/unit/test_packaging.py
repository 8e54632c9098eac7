"""pyproject.toml: metadata that current setuptools reads without deprecation warnings."""

from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_licence_is_an_spdx_expression_not_a_table():
    assert PYPROJECT["project"]["license"] == "MIT"


def test_the_build_asks_for_a_setuptools_that_understands_spdx_licences():
    assert "setuptools>=77" in PYPROJECT["build-system"]["requires"]  # the first to take `license = "MIT"`
