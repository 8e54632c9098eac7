"""The in-page checks themselves, on small pages whose answers are known (no server needed)."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.browser.conftest import skip_without_playwright
from tests.browser.page_checks import contrasts, unnamed_controls

skip_without_playwright()
from playwright.sync_api import Browser, Page  # noqa: E402


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def ratios(page: Page) -> dict[str, float]:
    return {c["text"]: c["ratio"] for c in contrasts(page)}


def test_controls_without_a_name_are_found_and_named_ones_pass(page: Page):
    page.set_content("""<label for=a>Phone</label><input id=a> <input id=b> <input aria-label="Seats">
        <select id=c><option>One</option></select> <button>Book</button> <button></button>
        <button aria-label="Cancel the appointment of Ann">x</button> <input type=hidden name=t>""")
    found = unnamed_controls(page)
    assert len(found) == 3
    assert "'id': 'b'" in found[0] and "<select" in found[1] and "<button" in found[2]


def test_contrast_against_the_first_opaque_background_with_translucency_gradients_and_opacity(page: Page):
    page.set_content("""<body style="background:#fff; margin:0">
        <p style="color:#000">black on white</p>
        <p style="color:#777">grey on white</p>
        <div style="background:#000"><div style="background:rgba(255,255,255,0)">
          <p style="color:#fff">white on black under a clear layer</p></div></div>
        <div style="background:repeating-linear-gradient(90deg, #fff 0 5px, #000 5px 10px)">
          <p style="color:#808080">grey on stripes</p></div>
        <div style="background:#000; opacity:.5"><p style="color:#fff">half-faded white on black</p></div>
        <p style="color:#fff; position:absolute; left:-999px">off the page</p>
        </body>""")
    found = ratios(page)
    assert found["black on white"] == 21
    assert found["grey on white"] == pytest.approx(4.48, abs=0.01)
    assert found["white on black under a clear layer"] == 21
    assert found["grey on stripes"] == pytest.approx(3.95, abs=0.01)  # the worse of 3.95 (white) and 5.32 (black)
    # Black at half opacity over white shows as #808080; the white text over it stays white.
    assert found["half-faded white on black"] == pytest.approx(3.97, abs=0.03)
    assert "off the page" not in found
