"""The inline SVG chart: computed in Python, escaped, described for people who cannot see it."""

from __future__ import annotations

import re

import pytest

from compass_cli.output.charts import Series, bar_chart


def chart(**kw):
    series = kw.pop("series", [Series("This evaluation", [100.0, 50.0, 0.0], "#1d3f6e"),
                               Series("National", [21.0, None, 57.0], "#a4540b")])
    return str(bar_chart(["B1", "B2", "B3"], series, title="Scores", desc="Three benchmarks.", **kw))


def test_is_svg_with_title_and_description():
    svg = chart()
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">Scores</title>' in svg
    assert '<desc id="chart-desc">Three benchmarks.</desc>' in svg
    assert "<script" not in svg


def test_bar_heights_are_proportional():
    svg = chart(plot_height=200)
    heights = [float(h) for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg)]
    # legend swatches are 14 high; bars: 100% -> 200, 50% -> 100, 0% -> 0, 21% -> 42, 57% -> 114
    assert sorted(h for h in heights if h != 14) == [0, 42, 100, 114, 200]


def test_unknown_value_is_a_dash_not_a_zero_bar():
    svg = chart()
    assert svg.count(">–</text>") == 1


def test_text_is_escaped():
    svg = chart(series=[Series("<script>alert(1)</script>", [1.0, 2.0, 3.0], '"><x')])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert '"><x' not in svg


def test_one_value_per_group():
    with pytest.raises(ValueError):
        bar_chart(["B1", "B2"], [Series("x", [1.0], "#000")], title="t", desc="d")


def test_values_outside_0_to_100_are_clamped_to_the_axis():
    svg = chart(series=[Series("x", [150.0, -5.0, 50.0], "#000")], plot_height=100)
    heights = [float(h) for h in re.findall(r'height="([\d.]+)" fill="#000"', svg)]
    assert heights == [14, 100, 0, 50]
