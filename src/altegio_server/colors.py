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


def luminance(color: str) -> float:
    """WCAG relative luminance of `#rrggbb`."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_color(background: str) -> str:
    """Black or white, whichever contrasts more with `#rrggbb` (never less than about 4.6:1): the
    console's text on an event (behaviour 21.6). Not `font_color_for`, which goes by brightness
    and leaves white on many mid tones, as the API's `font_color` does."""
    light = luminance(background)
    return "#000000" if (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) else "#ffffff"


def safe_color(color: str | None) -> str | None:
    """`#rrggbb` for a stored colour, or None: nothing else is ever written into a style."""
    match = _HEX.fullmatch(color or "")
    return f"#{match.group(1).lower()}" if match else None
