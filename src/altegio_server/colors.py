"""Colour rules shared by tags, events and appointments (pure functions)."""

from __future__ import annotations

import re

HEX_COLOR = r"#[0-9a-fA-F]{6}"
BARE_HEX_COLOR = r"[0-9a-fA-F]{6}"
_HEX = re.compile(r"#?([0-9a-fA-F]{6})")


def font_color_for(color: str, with_hash: bool = True) -> str:
    """White text on a dark background, black on a light one; "" when there is no colour."""
    match = _HEX.fullmatch(color or "")
    if not match:
        return ""
    value = match.group(1)
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    # Perceived brightness (ITU-R BT.601 weights), 0..255.
    light = (r * 299 + g * 587 + b * 114) / 1000 >= 150
    text = "000000" if light else "ffffff"
    return f"#{text}" if with_hash else text
