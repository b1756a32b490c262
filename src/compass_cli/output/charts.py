"""Bar charts as inline SVG, computed in Python.

A report must be one self-contained file a school can email, publish or print: no
JavaScript, no chart library from a CDN, no image files beside it. So the chart is plain
SVG markup whose every coordinate is worked out here. All text is escaped, because series
and group names can come from a user's own framework or template wording. The chart
carries a <title> and <desc> (and the report puts the same figures in a table next to it)
so that it is not lost on anyone who cannot see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from compass_cli.text import shown_percent

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"


@dataclass(frozen=True)
class Series:
    """One set of bars: a name for the legend, one value (0 to 100) per group, a colour.

    A value of None means "not known" and is drawn as a small dash, not as a zero bar.
    """

    name: str
    values: list[float | None]
    colour: str


def _fmt(x: float) -> str:
    """Coordinates with at most one decimal, so the markup is short and stable."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    groups: list[str],
    series: list[Series],
    *,
    title: str,
    desc: str,
    ident: str = "chart",
    width: int = 760,
    plot_height: int = 190,
) -> Markup:
    """A grouped bar chart of percentages: one group per label in ``groups``.

    The y axis runs from 0% to 100% with gridlines every 25%; 100% is drawn a little
    stronger, because a benchmark is fully achieved only there.
    """
    if any(len(s.values) != len(groups) for s in series):
        raise ValueError("every series needs one value per group")
    left, right = 48, 12
    legend_row = 22
    top = 16 + legend_row * len(series) + 14
    bottom = top + plot_height
    height = bottom + 34
    plot_w = width - left - right
    group_w = plot_w / max(len(groups), 1)
    bar_w = min(24.0, group_w * 0.78 / max(len(series), 1))
    cluster = bar_w * len(series)

    def y(value: float) -> float:
        return bottom - plot_height * max(0.0, min(value, 100.0)) / 100

    out = _opening(ident, "chart", width, height, title, desc) + _legend(series, left, legend_row)
    # gridlines and y axis labels
    for pct in (0, 25, 50, 75, 100):
        gy = _fmt(y(pct))
        stroke = "#6b6b6b" if pct in (0, 100) else "#d0d0d0"
        out.append(
            f'<line x1="{left}" y1="{gy}" x2="{width - right}" y2="{gy}" stroke="{stroke}" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{_fmt(y(pct) + 4)}" font-size="11" text-anchor="end" fill="#3d3d3d">'
            f"{pct}%</text>"
        )
    # bars, value labels and group labels
    for g, label in enumerate(groups):
        start = left + g * group_w + (group_w - cluster) / 2
        for i, s in enumerate(series):
            value = s.values[g]
            bx = start + i * bar_w
            cx = _fmt(bx + bar_w / 2)
            if value is None:
                out.append(
                    f'<text x="{cx}" y="{_fmt(bottom - 4)}" font-size="10" text-anchor="middle" '
                    f'fill="#3d3d3d">–</text>'
                )
                continue
            top_y = y(value)
            out.append(
                f'<rect x="{_fmt(bx + 1)}" y="{_fmt(top_y)}" width="{_fmt(bar_w - 2)}" '
                f'height="{_fmt(bottom - top_y)}" fill="{escape(s.colour)}"/>'
                f'<text x="{cx}" y="{_fmt(top_y - 3)}" font-size="10" text-anchor="middle" '
                f'fill="#1a1a1a">{shown_percent(value)}</text>'
            )
        out.append(
            f'<text x="{_fmt(left + g * group_w + group_w / 2)}" y="{bottom + 20}" font-size="13" '
            f'font-weight="600" text-anchor="middle" fill="#1a1a1a">{escape(label)}</text>'
        )
    out.append("</svg>")
    return Markup("\n".join(out))


def row_chart(
    groups: list[str],
    series: list[Series],
    *,
    title: str,
    desc: str,
    ident: str = "chart-rows",
    width: int = 340,
    bar_height: int = 11,
) -> Markup:
    """The same figures as :func:`bar_chart`, as horizontal bars: one row per group.

    For a phone: a chart 340 units wide is drawn at about its own size there, so its
    labels stay readable, where the wide chart would shrink to a third. The x axis runs
    from 0% to 100%, with the same gridlines as the wide chart.
    """
    if any(len(s.values) != len(groups) for s in series):
        raise ValueError("every series needs one value per group")
    left, right = 34, 40
    legend_row = 20
    axis = 12 + legend_row * len(series) + 8
    top = axis + 8
    row = bar_height * len(series) + 10
    height = top + row * len(groups) + 4
    plot_w = width - left - right

    def x(value: float) -> float:
        return left + plot_w * max(0.0, min(value, 100.0)) / 100

    out = _opening(ident, "chart chart-rows", width, height, title, desc) + _legend(series, left, legend_row, 12)
    for pct in (0, 25, 50, 75, 100):
        gx = _fmt(x(pct))
        stroke = "#6b6b6b" if pct in (0, 100) else "#d0d0d0"
        out.append(
            f'<line x1="{gx}" y1="{top - 2}" x2="{gx}" y2="{height - 4}" stroke="{stroke}" stroke-width="1"/>'
            f'<text x="{gx}" y="{axis}" font-size="10" text-anchor="middle" fill="#3d3d3d">{pct}%</text>'
        )
    for g, label in enumerate(groups):
        gy = top + g * row + 5
        out.append(
            f'<text x="{left - 6}" y="{_fmt(gy + row / 2 - 1)}" font-size="12" font-weight="600" '
            f'text-anchor="end" fill="#1a1a1a">{escape(label)}</text>'
        )
        for i, s in enumerate(series):
            value = s.values[g]
            by = gy + i * bar_height
            if value is None:
                out.append(f'<text x="{left + 4}" y="{_fmt(by + bar_height - 2)}" font-size="10" '
                           f'fill="#3d3d3d">–</text>')
                continue
            end = x(value)
            out.append(
                f'<rect x="{left}" y="{_fmt(by)}" width="{_fmt(end - left)}" height="{bar_height - 1}" '
                f'fill="{escape(s.colour)}"/>'
                f'<text x="{_fmt(end + 3)}" y="{_fmt(by + bar_height - 2)}" font-size="10" '
                f'fill="#1a1a1a">{shown_percent(value)}</text>'
            )
    out.append("</svg>")
    return Markup("\n".join(out))


def _opening(ident: str, css_class: str, width: int, height: int, title: str, desc: str) -> list[str]:
    """The <svg> element with its accessible name and description."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{escape(FONT)}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def _legend(series: list[Series], left: int, row: int, size: int = 13) -> list[str]:
    """One legend entry per row, so long labels (with a date) never collide."""
    out = []
    for i, s in enumerate(series):
        ly = 16 + i * row
        out.append(
            f'<rect x="{left}" y="{ly}" width="14" height="14" fill="{escape(s.colour)}"/>'
            f'<text x="{left + 22}" y="{ly + 11.5}" font-size="{size}" fill="#1a1a1a">{escape(s.name)}</text>'
        )
    return out
