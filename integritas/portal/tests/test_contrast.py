"""The portal's colours reach WCAG 2.1 AA contrast: 4.5:1 for text, 3:1 for the boundaries of
controls and the keyboard focus ring (success criteria 1.4.3 and 1.4.11).

The stylesheets the portal loads (the shared ``integritas.css`` and ``respond.css``, then
``portal.css``) are parsed here. The colour pairs used together are listed explicitly below by
the names of the CSS variables; every variable and every literal colour in those files must
appear in a checked pair or be listed as decorative, so a new colour cannot slip in unchecked.
Every rule that sets both a text colour and a background is checked as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import tinycss2
from django.conf import settings

CSS_DIR = Path(settings.BASE_DIR) / "static" / "css"
PORTAL_STYLESHEETS = ("integritas.css", "respond.css", "portal.css")

TEXT = 4.5  # normal text
UI = 3.0  # large text, control boundaries, focus indicators

# (foreground, background, where): names are CSS variables (without "--") or literal colours.
TEXT_PAIRS: list[tuple[str, str, str]] = [
    ("ink", "paper", "body text in cards and tables"),
    ("ink", "wash", "body text on the page background, table headers, the default badge"),
    ("muted", "paper", "secondary text, withheld results, empty states in cards"),
    ("muted", "wash", "secondary text on the page, footer, breadcrumbs"),
    ("brand", "paper", "links in cards, the secondary button"),
    ("brand", "wash", "links on the page background and in the footer"),
    ("brand-ink", "brand", "the header, its links and the portal navigation; buttons"),
    ("brand-ink", "bad", "the danger button"),
    ("bad", "paper", "form errors"),
    ("ok", "ok-wash", "the 'verified' badge, success messages"),
    ("warn", "warn-wash", "the demo banner, warnings, a returned plan"),
    ("bad", "bad-wash", "error messages and the error summary"),
    ("ink", "#e8f1f5", "a chosen answer on the respondent pages"),
    ("#1e40af", "#dbeafe", "the blue colour band of an assessment score"),
    ("#000", "#fff", "print"),
]

# (colour, the colour it must stand out from, where) at 3:1.
UI_PAIRS: list[tuple[str, str, str]] = [
    ("focus", "paper", "the focus ring on cards and form controls"),
    ("focus", "wash", "the focus ring on the page background"),
    ("focus-on-brand", "brand", "the focus ring in the header (links, language, sign-in)"),
    ("#6b7280", "paper", "the border of text fields and selects"),
    ("brand", "paper", "the border of buttons"),
    ("brand", "wash", "the border of buttons on the page background"),
    ("brand-ink", "brand", "the border of the portal's sign-in button in the header"),
    ("ok", "paper", "the verified-progress bar"),
    ("bad", "paper", "the border of an invalid answer"),
    ("#000", "#fff", "card borders in print"),
]

# Colours that only separate areas that are already told apart by their text, spacing or
# headings: their contrast carries no meaning (1.4.11 does not apply to them).
DECORATIVE = {
    "line": "rules between rows and around cards",
    "#86efac": "the border of a success message or badge, whose text carries the meaning",
    "#fca5a5": "the border of an error message or badge, whose text carries the meaning",
    "#fde047": "the border of a warning message, whose text carries the meaning",
    "#93c5fd": "the border of the blue score band's badge, whose text carries the meaning",
}


@dataclass(frozen=True)
class Rule:
    selectors: str
    declarations: dict[str, str]


def _rules(css: str) -> list[Rule]:
    """Every style rule, with those inside ``@media`` blocks, as selectors and declarations."""
    found: list[Rule] = []

    def walk(nodes: list[object]) -> None:
        for node in nodes:
            if isinstance(node, tinycss2.ast.QualifiedRule):
                declarations = {
                    d.lower_name: tinycss2.serialize(d.value).strip()
                    for d in tinycss2.parse_blocks_contents(node.content)
                    if isinstance(d, tinycss2.ast.Declaration)
                }
                found.append(Rule(tinycss2.serialize(node.prelude).strip(), declarations))
            elif isinstance(node, tinycss2.ast.AtRule) and node.content is not None:
                walk(tinycss2.parse_rule_list(node.content, skip_comments=True))

    walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    return found


def _all_rules() -> list[Rule]:
    return [r for name in PORTAL_STYLESHEETS for r in _rules((CSS_DIR / name).read_text())]


def variables() -> dict[str, str]:
    """The colour variables declared on ``:root``."""
    found: dict[str, str] = {}
    for rule in _all_rules():
        if rule.selectors == ":root":
            for name, value in rule.declarations.items():
                if name.startswith("--") and value.startswith("#"):
                    found[name[2:]] = value.lower()
    return found


def _hex(value: str) -> str:
    value = value.lower()
    if len(value) == 4:
        value = "#" + "".join(c * 2 for c in value[1:])
    assert re.fullmatch(r"#[0-9a-f]{6}", value), value
    return value


def resolve(colour: str, names: dict[str, str]) -> str:
    """A variable name, ``var(--name)`` or a literal colour, as ``#rrggbb``."""
    match = re.fullmatch(r"var\(--([\w-]+)\)", colour.strip())
    name = match.group(1) if match else colour.strip()
    return _hex(names.get(name, name))


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(_hex(a)), relative_luminance(_hex(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_luminance_formula_gives_the_known_ratios() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("fg", "bg", "where"), TEXT_PAIRS)
def test_text_colours_reach_4_5_to_1_on_their_backgrounds(fg: str, bg: str, where: str) -> None:
    names = variables()
    ratio = contrast(resolve(fg, names), resolve(bg, names))
    assert ratio >= TEXT, f"{fg} on {bg} ({where}) is {ratio:.2f}:1"


@pytest.mark.parametrize(("fg", "bg", "where"), UI_PAIRS)
def test_control_boundaries_and_the_focus_ring_reach_3_to_1(fg: str, bg: str, where: str) -> None:
    names = variables()
    ratio = contrast(resolve(fg, names), resolve(bg, names))
    assert ratio >= UI, f"{fg} against {bg} ({where}) is {ratio:.2f}:1"


def test_the_header_brand_line_keeps_its_contrast_through_its_transparency() -> None:
    """``.brand-gov`` is white at an opacity over the brand colour."""
    names = variables()
    opacity = next(
        float(r.declarations["opacity"])
        for r in _all_rules()
        if r.selectors == ".brand-gov" and "opacity" in r.declarations
    )
    fg, bg = resolve("brand-ink", names), resolve("brand", names)
    mixed = "#" + "".join(
        f"{round(int(fg[i : i + 2], 16) * opacity + int(bg[i : i + 2], 16) * (1 - opacity)):02x}"
        for i in (1, 3, 5)
    )
    assert contrast(mixed, bg) >= TEXT


def _background(declarations: dict[str, str]) -> str | None:
    value = declarations.get("background-color") or declarations.get("background")
    if value is None:
        return None
    match = re.fullmatch(r"(var\(--[\w-]+\)|#[0-9a-fA-F]{3,6})", value)
    return match.group(1) if match else None


def test_every_rule_with_a_text_colour_and_a_background_reaches_4_5_to_1() -> None:
    names = variables()
    checked = 0
    for rule in _all_rules():
        colour, background = rule.declarations.get("color"), _background(rule.declarations)
        if colour is None or background is None or colour == "inherit":
            continue
        ratio = contrast(resolve(colour, names), resolve(background, names))
        assert ratio >= TEXT, f"{rule.selectors}: {colour} on {background} is {ratio:.2f}:1"
        checked += 1
    assert checked >= 10  # the badges, messages, heat colours, buttons, header


def _pairs_colours() -> set[str]:
    names = variables()
    return {
        resolve(colour, names) for fg, bg, _where in TEXT_PAIRS + UI_PAIRS for colour in (fg, bg)
    }


def test_every_colour_variable_is_in_a_checked_pair_or_decorative() -> None:
    in_pairs = {c for fg, bg, _where in TEXT_PAIRS + UI_PAIRS for c in (fg, bg)}
    missing = set(variables()) - in_pairs - set(DECORATIVE)
    assert not missing, f"colour variables in no checked pair: {sorted(missing)}"


def test_every_literal_colour_in_the_stylesheets_is_checked_or_decorative() -> None:
    names = variables()
    auto_checked = set()
    for rule in _all_rules():
        colour, background = rule.declarations.get("color"), _background(rule.declarations)
        if colour and background and colour != "inherit":
            auto_checked |= {resolve(colour, names), resolve(background, names)}
    known = _pairs_colours() | auto_checked | {_hex(c) for c in DECORATIVE if c.startswith("#")}
    unchecked = set()
    for rule in _all_rules():
        if rule.selectors == ":root":
            continue
        for value in rule.declarations.values():
            for literal in re.findall(r"#[0-9a-fA-F]{3,6}\b", value):
                if _hex(literal) not in known:
                    unchecked.add(f"{rule.selectors}: {literal}")
    assert not unchecked, f"colours in no checked pair: {sorted(unchecked)}"


def test_the_focus_ring_is_drawn_for_keyboard_focus_everywhere() -> None:
    rules = _all_rules()
    focus = [r for r in rules if r.selectors == ":focus-visible"]
    assert focus and "var(--focus)" in focus[0].declarations["outline"]
    header = [r for r in rules if ".site-header" in r.selectors and "focus-visible" in r.selectors]
    assert header and any("var(--focus-on-brand)" in v for v in header[0].declarations.values())
