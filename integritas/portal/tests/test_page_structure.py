"""Every public portal page has the structure WCAG 2.1 AA asks for, in Indonesian and in English:
``<html lang>`` of the language shown, one ``main`` reached by a skip link, header, navigation
and footer landmarks, one ``h1`` and headings that skip no level, text alternatives for images
and charts, a label for every form control, tables with a caption and scoped headers, unique ids
and a visible keyboard focus style."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from integritas.core.testing import World
from integritas.education.models import Event, Material
from integritas.education.services import checkin, tickets
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person
from integritas.education.tests.conftest import make_event
from integritas.portal.services import publishing
from integritas.portal.tests.stories import computed_wave, story

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}
PORTAL_PAGES = (
    "/publik/",
    "/tindak-lanjut/",
    "/unit/",
    "/hasil-survei/",
    "/kegiatan/",
    "/hasil-penilaian/",
)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def ancestors(self) -> list[Node]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)


class Tree(HTMLParser):
    """The page as a tree of elements, enough for structural checks."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.elements: list[Node] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        self.elements.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        self.elements.append(node)

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.text += data

    def find(self, tag: str) -> list[Node]:
        return [e for e in self.elements if e.tag == tag]


def held_event(world: World) -> Event:
    """A published event that took place, with attendance in two groups (one withheld)."""
    event = make_event(world, title="Sosialisasi yang sudah berlangsung", capacity=None)
    for i in range(7):
        group = "staff" if i < 6 else "press"
        person = Person(f"Peserta {i}", "Dinas", group, email=f"p{i}@example.test")
        reg = registrations.register(event=event, person=person)
        checkin.check_in(event=event, code=tickets.code_for(reg.ticket), by=world.inspector)
    Material.objects.create(event=event, title="Bahan paparan", url="https://example.test/b.pdf")
    return event


def _public_urls(world: World) -> list[str]:
    s = story(world)
    wave = computed_wave(world, code="skm-terbit", title="SKM yang terbit")
    publishing.publish(obj=wave, by=world.inspector)
    _published_assessment_results(world)
    return [
        "/",
        reverse("portal-home"),
        reverse("portal-tracker"),
        f"{reverse('portal-tracker')}?status=verified&q=tidak-ada",  # the empty state
        reverse("portal-recommendation", args=[s.rec.code]),
        reverse("portal-unit", args=["DINKES"]),
        reverse("portal-unit", args=["DISDIK"]),  # results, no published action
        reverse("portal-waves"),
        reverse("portal-wave", args=[wave.code]),
        reverse("portal-unit", args=["TIDAKADA"]),  # the portal's 404
        reverse("portal-events"),
        reverse("portal-event", args=[held_event(world).code]),
        reverse("portal-assessments"),
    ]


def _published_assessment_results(world: World) -> None:
    """An MCSP year and DINKES's reviewed LKE on the portal."""
    # Imported here: the assessments' test helpers are needed by this walk only.
    from integritas.assessments.services import publication as results
    from integritas.assessments.tests.desk_fixtures import open_desk
    from integritas.assessments.tests.test_result_publication import reviewed_lke

    results.publish(obj=open_desk(), by=world.inspector)
    results.publish(obj=reviewed_lke(world), by=world.inspector)


def _stylesheets(page: Tree) -> str:
    css = []
    for link in page.find("link"):
        if link.attrs.get("rel") == "stylesheet":
            name = link.attrs["href"].split("/static/", 1)[1]
            css.append((Path(settings.BASE_DIR) / "static" / name).read_text())
    return "\n".join(css)


def _problems(html: str, lang: str) -> list[str]:
    page = Tree(html)
    problems: list[str] = []

    html_tag = page.find("html")
    if not html_tag or html_tag[0].attrs.get("lang") != lang:
        problems.append(f"<html lang> is not {lang!r}")

    mains = page.find("main")
    if len(mains) != 1:
        problems.append(f"{len(mains)} <main> elements")
    main_id = mains[0].attrs.get("id") if mains else None
    links = page.find("a")
    if not main_id or not links or links[0].attrs.get("href") != f"#{main_id}":
        problems.append("the first link is not a skip link to <main>")
    for landmark in ("header", "nav", "footer"):
        if not [e for e in page.find(landmark) if "main" not in {a.tag for a in e.ancestors()}]:
            problems.append(f"no <{landmark}> landmark outside <main>")
    navs = page.find("nav")
    names = [n.attrs.get("aria-label", "") for n in navs]
    if len(navs) > 1 and (not all(names) or len(set(names)) != len(names)):
        problems.append(f"navigation landmarks without distinct names: {names}")

    h1s = page.find("h1")
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} <h1> elements")
    levels = [int(e.tag[1]) for e in page.elements if re.fullmatch(r"h[1-6]", e.tag)]
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"heading level skips from h{before} to h{after}")

    for img in page.find("img"):
        if "alt" not in img.attrs:
            problems.append(f"<img src={img.attrs.get('src')!r}> without alt")
    for svg in page.find("svg"):
        titled = any(c.tag == "title" and c.all_text().strip() for c in svg.children)
        if not (svg.attrs.get("aria-label") or titled or svg.attrs.get("aria-hidden") == "true"):
            problems.append("an <svg> without a title")

    label_for = {e.attrs.get("for") for e in page.find("label")}
    for control in page.elements:
        if control.tag not in CONTROLS:
            continue
        if control.tag == "input" and control.attrs.get("type", "text") in UNLABELLED_INPUTS:
            continue
        if not (
            control.attrs.get("id") in label_for
            or "label" in {a.tag for a in control.ancestors()}
            or control.attrs.get("aria-label")
        ):
            problems.append(f"<{control.tag} name={control.attrs.get('name')!r}> without a label")

    for table in page.find("table"):
        caption = [c for c in table.children if c.tag == "caption"]
        if not caption or not caption[0].all_text().strip():
            problems.append("a <table> without a caption")
    for th in page.find("th"):
        if th.attrs.get("scope") not in {"col", "row", "colgroup", "rowgroup"}:
            problems.append(f"<th> without scope: {th.all_text().strip()[:30]!r}")

    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        problems.append(f"duplicate ids {sorted(duplicates)}")

    if not re.search(r"(^|[\s,}]):focus-visible\s*\{[^}]*outline:\s*3px solid", _stylesheets(page)):
        problems.append("no visible :focus-visible outline in the page's stylesheets")
    return problems


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_public_portal_page_has_an_accessible_structure(world: World, lang: str) -> None:
    client = Client()
    if lang != "id":
        client.get(reverse("portal-home"), {"lang": lang})
    found, seen = {}, set()
    queue = _public_urls(world)
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 404), url
        html = response.content.decode()
        problems = _problems(html, lang)
        if problems:
            found[url] = problems
        # Every portal page linked from here (evidence downloads are files, not pages).
        for link in re.findall(r'href="([^"#]+)"', html):
            link = link.replace("&amp;", "&")
            if link.startswith("?") and "lang=" not in link:
                link = url.split("?", 1)[0] + link
            if link.startswith(PORTAL_PAGES):
                queue.append(link)
    assert {"/tindak-lanjut/?unit=DINKES", reverse("portal-unit", args=["DISDIK"])} < seen
    assert not found, found


def test_the_structure_check_catches_what_it_looks_for() -> None:
    bad = (
        '<html lang="en"><body><main></main><main></main><h1>a</h1><h3>b</h3><img src="x">'
        '<select name="unit"></select><table><tr><th>x</th></tr></table></body></html>'
    )
    problems = " | ".join(_problems(bad, "id"))
    for expected in [
        "<html lang> is not 'id'",
        "2 <main> elements",
        "skip link",
        "no <header>",
        "no <nav>",
        "no <footer>",
        "from h1 to h3",
        "without alt",
        "<select name='unit'> without a label",
        "<table> without a caption",
        "<th> without scope",
        "focus-visible",
    ]:
        assert expected in problems, expected
