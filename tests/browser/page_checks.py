"""Checks run inside a page in the browser: accessible names as Chromium computes them, and
the contrast of every visible text against the background it is drawn on (behaviour 21.7)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Roles of the controls a person operates: every one needs a name.
# (Inputs, selects, textareas and buttons count by their element, whatever role they get.)
CONTROL_ROLES = {"button", "textbox", "searchbox", "combobox", "listbox", "spinbutton", "checkbox", "radio",
                 "switch", "slider", "menulist", "PopUpButton", "ComboBoxSelect", "ComboBoxMenuButton"}
MIN_CONTRAST = 4.5


def unnamed_controls(page: Page) -> list[str]:
    """Each control of the page (input, select, textarea, button) without an accessible name,
    as Chromium's accessibility tree computes names, described by its tag and attributes."""
    tags = set(page.evaluate("""() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter(e => e.type !== 'hidden').map(e => e.tagName)"""))
    assert tags, "the page has controls to check"
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.getDocument", {"depth": -1})
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        found = []
        for node in nodes:
            role = node.get("role", {}).get("value", "")
            if node.get("ignored") or "backendDOMNodeId" not in node:
                continue
            described = cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})["node"]
            if described.get("nodeName") not in ("INPUT", "SELECT", "TEXTAREA", "BUTTON") and role not in CONTROL_ROLES:
                continue
            if not str(node.get("name", {}).get("value", "")).strip():
                attributes = described.get("attributes", [])
                found.append(f"<{described.get('nodeName', '?').lower()} role={role} "
                             f"{dict(zip(attributes[::2], attributes[1::2]))}>")
        return found
    finally:
        cdp.detach()


# For each element with visible text of its own: its text colour and the colour behind it, both
# flattened to opaque colours. The background is found by walking up to the first ancestor
# with an opaque background colour, laying every translucent one over it; a gradient counts as
# each of its colours (the worst decides); an ancestor's opacity blends both with what is
# behind that ancestor.
_CONTRASTS = """() => {
  const parse = (text) => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const gradientColors = (image) => (image.match(/rgba?\\([^)]+\\)/g) || []).map(parse);
  // Every opaque colour `el`'s own painting can have behind its content (more than one under a
  // gradient), before any opacity: its background laid over its parent's, down to an opaque one.
  const surface = (el) => {
    if (!el) return [[255, 255, 255, 1]];
    const style = getComputedStyle(el);
    const own = parse(style.backgroundColor) || [0, 0, 0, 0];
    const stops = gradientColors(style.backgroundImage);
    if (own[3] >= 1 && !stops.length) return [own];
    const base = (own[3] >= 1 ? [own] : surface(el.parentElement).map(u => over(own, u)));
    if (!stops.length) return base;
    const laid = stops.filter(c => c[3] > 0).flatMap(c => base.map(b => over(c, b)));
    return stops.some(c => c[3] < 1) ? laid.concat(base) : laid;
  };
  // A colour painted at `el`, as shown once `el`'s and its ancestors' opacity blend it with
  // what is behind each of them.
  const shown = (el, color) => {
    for (let a = el; a; a = a.parentElement) {
      const opacity = Number(getComputedStyle(a).opacity);
      if (opacity < 1) color = over(color.slice(0, 3).concat([opacity]), surface(a.parentElement)[0]);
    }
    return color;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const results = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join(' ').trim();
    const isControl = ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && el.type !== 'hidden';
    if (!own && !isControl) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden, for screen readers only
    if (box.right <= 0 || box.bottom <= 0) continue;  // moved off the page until focused (the skip link)
    const style = getComputedStyle(el);
    const fg = parse(style.color);
    const worst = Math.min(...surface(el).map(bg => ratio(shown(el, over(fg, bg)), shown(el, bg))));
    results.push({text: (own || el.value || el.tagName).slice(0, 40), tag: el.tagName.toLowerCase(),
                  cls: el.className, color: style.color, ratio: Math.round(worst * 100) / 100});
  }
  return results;
}"""


def contrasts(page: Page) -> list[dict[str, Any]]:
    """Every visible text of the page with its worst contrast ratio against its background."""
    return list(page.evaluate(_CONTRASTS))


def low_contrast(page: Page) -> list[dict[str, Any]]:
    return [c for c in contrasts(page) if c["ratio"] < MIN_CONTRAST]
