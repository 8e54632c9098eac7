"""Font colour for contrast (pure)."""

from __future__ import annotations

import pytest

from altegio_server.colors import font_color_for


@pytest.mark.parametrize("color, font", [
    ("#000000", "#ffffff"), ("#ffffff", "#000000"), ("#FFFFFF", "#000000"), ("#ff2828", "#ffffff"),
    ("#ffeb3b", "#000000"), ("#4caf50", "#ffffff"), ("#9e9e9e", "#000000"), ("#959595", "#ffffff"),
    ("#969696", "#000000"), ("f44336", "#ffffff"),
])
def test_white_on_dark_and_black_on_light(color, font):
    assert font_color_for(color) == font


@pytest.mark.parametrize("color", ["", None, "red", "#fff", "#ggg000", "#0000000", " #000000"])
def test_no_font_colour_without_a_valid_colour(color):
    assert font_color_for(color) == ""


def test_the_bare_form_drops_the_hash():
    assert font_color_for("f44336", with_hash=False) == "ffffff"
    assert font_color_for("#ffffff", with_hash=False) == "000000"
