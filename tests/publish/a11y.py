"""An accessibility check of the careers page that runs anywhere, with the standard library only.

``compass publish`` writes HTML that a careers leader pastes into a school website, so what
it writes must be accessible as it stands: this checks what can be checked from the markup
alone (WCAG 2.2: 1.3.1 info and relationships, 2.4.4 link purpose, 2.4.6 headings, 3.1.1
language of the page, 1.4.3 contrast of the colours the page sets), and that the fragment
brings nothing a website's editor would strip or a browser would fetch or run. The test
with a real browser (test_publish_browser.py) adds axe-core where it is installed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: The only elements the fragment uses: text, headings, links, lists and tables.
FRAGMENT_TAGS = {"section", "h2", "h3", "h4", "p", "br", "a", "strong", "small", "span", "ul", "li", "div", "table",
                 "caption", "thead", "tbody", "tfoot", "tr", "th", "td"}
#: Elements that fetch, run or embed something: never in the fragment or the page.
NEVER = {"script", "iframe", "object", "embed", "img", "link", "video", "audio", "source", "form", "input", "base",
         "frame", "frameset", "svg", "math", "template", "noscript"}
#: Link text that says nothing out of context.
VAGUE = {"here", "click here", "read more", "more", "link", "this page"}


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[_Element] = field(default_factory=list)


class _Tree(HTMLParser):
    VOID = {"br", "meta", "link", "img", "input", "hr", "source", "base", "col", "embed", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {})
        self.stack = [self.root]
        self.all: list[_Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        el = _Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(el)
        self.all.append(el)
        if tag not in self.VOID:
            self.stack.append(el)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        for el in self.stack[1:]:
            el.text += data


def _parse(html: str) -> _Tree:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree


def luminance(colour: str) -> float:
    """Relative luminance of #rgb or #rrggbb (WCAG 2.2)."""
    hexes = colour.lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(c * 2 for c in hexes)
    channels = [int(hexes[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def problems(html: str, *, fragment: bool) -> list[str]:
    """Every problem found in a careers page: the fragment (``fragment``) or a whole page."""
    tree = _parse(html)
    out: list[str] = []
    tags = [el.tag for el in tree.all]
    out += [f"<{t}> fetches, runs or embeds something" for t in sorted(set(tags) & NEVER)]
    if fragment:
        out += [f"<{t}> is not one of the fragment's plain elements" for t in sorted(set(tags) - FRAGMENT_TAGS)]
        if "<style" in html.lower():
            out.append("a <style> block: website editors strip them; the fragment uses inline styles only")
        out += [f"an inline style sets a colour ({el.attrs['style']}): the website's own colours apply"
                for el in tree.all if re.search(r"(?<![-\w])(color|background)", el.attrs.get("style", ""))]
    for el in tree.all:
        out += [f"<{el.tag} {name}>: an event handler" for name in el.attrs if name.startswith("on")]
        if "src" in el.attrs:
            out.append(f"<{el.tag} src>: fetches something")
        if el.tag == "a":
            href = el.attrs.get("href", "")
            if not re.match(r"(https?://|mailto:|tel:\+?\d)", href):
                out.append(f"a link to {href!r}: only web addresses, mailto: and tel:")
            words = " ".join(el.text.split())
            if not words or words.lower() in VAGUE:
                out.append(f"a link whose text says nothing on its own: {words!r}")
    ids = [el.attrs["id"] for el in tree.all if "id" in el.attrs]
    out += [f"id {i!r} is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    # headings: from h2 in a fragment (h1 in a page), never skipping a level
    levels = [int(t[1]) for t in tags if re.fullmatch(r"h[1-6]", t)]
    if not levels:
        out.append("no heading")
    else:
        first = 2 if fragment else 1
        if levels[0] != first:
            out.append(f"the first heading is h{levels[0]}, not h{first}")
        if fragment and 1 in levels:
            out.append("an h1 in the fragment: the website's page has its own")
        out += [f"h{b} follows h{a}: a level is skipped" for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    for el in tree.all:
        if re.fullmatch(r"h[1-6]", el.tag) and not el.text.strip():
            out.append(f"an empty <{el.tag}>")
    for table in (el for el in tree.all if el.tag == "table"):
        out += _table_problems(table)
    if not fragment:
        html_el = next((el for el in tree.all if el.tag == "html"), None)
        if html_el is None or not re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", html_el.attrs.get("lang", "")):
            out.append("the page does not say its language (<html lang>)")
        if not any(el.tag == "title" and el.text.strip() for el in tree.all):
            out.append("the page has no title")
        out += _contrast_problems(html)
    return out


def _table_problems(table: _Element) -> list[str]:
    out = []
    parts = [c for c in table.children]
    if not parts or parts[0].tag != "caption" or not parts[0].text.strip():
        out.append("a table without a caption as its first child")
    heads = [c for c in parts if c.tag == "thead"]
    if not heads:
        out.append("a table without a header row (<thead>)")
    for head in heads:
        for row in head.children:
            for cell in row.children:
                if cell.tag != "th" or cell.attrs.get("scope") != "col":
                    out.append(f"a header cell that is not <th scope=col>: {cell.text.strip()!r}")
    for body in (c for c in parts if c.tag in ("tbody", "tfoot")):
        for row in body.children:
            first = row.children[0] if row.children else None
            if first is None or first.tag != "th" or first.attrs.get("scope") != "row":
                out.append("a row that does not start with <th scope=row>")
            widths = {len(r.children) for h in heads for r in h.children}
            if widths and len(row.children) not in widths:
                out.append(f"a row of {len(row.children)} cells under a header of {sorted(widths)}")
    return out


_RULE = re.compile(r"([^{}]+)\{([^}]*)\}")


def _contrast_problems(html: str) -> list[str]:
    """Text colours the page's stylesheet sets, against the page's background: at least 4.5:1 (WCAG 1.4.3)."""
    style = "".join(re.findall(r"<style>(.*?)</style>", html, re.S))
    background = "#ffffff"
    colours: list[tuple[str, str]] = []
    for selector, body in _RULE.findall(style):
        found = dict((k.strip(), v.strip()) for k, _, v in (d.partition(":") for d in body.split(";")) if v.strip())
        if "background" in found and selector.strip() == "body":
            background = found["background"]
        if "color" in found:
            colours.append((selector.strip(), found["color"]))
    return [f"{selector} {{ color: {c} }} has contrast {contrast(c, background):.2f}:1 on {background}, under 4.5:1"
            for selector, c in colours if contrast(c, background) < 4.5]
