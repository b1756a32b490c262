"""The faster YAML building used for answer files gives exactly what PyYAML's safe loader gives.

(Added for `compass summary`'s speed; loading.PlainLoader hands anything but plain
mappings, lists and standard scalars to PyYAML's own constructor.)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from compass_cli.core.loading import FastLoader, PlainLoader


def both(text: str) -> tuple[Any, Any]:
    def load(loader: type) -> Any:
        try:
            return ("ok", yaml.load(text, Loader=loader))  # noqa: S506 - safe loaders
        except Exception as exc:  # noqa: BLE001 - the very same failure is what is compared
            return ("error", type(exc).__name__, str(exc))

    return load(PlainLoader), load(FastLoader)


TRICKY = [
    "a: 1\nb: [1, 2.5, .inf, -.Inf, .nan]\n",
    "yes_no: [yes, No, on, OFF, true, ~, null, '', 0o17, 0x1F, 1_000, 1:30, 012]\n",
    "date: 2026-03-19\nwhen: 2026-03-19 10:20:30\n",
    "base: &b {x: 1, y: 2}\nmore:\n  <<: *b\n  y: 3\n",
    "a: &a [1, 2]\nb: *a\n",
    "a: &a {k: v}\nb: [*a, *a]\n",
    "anchor_only: &x 5\nplain: 6\n",
    "scalar_alias: &s hello\nagain: *s\n",
    "r: &r [*r]\n",
    "? [a, b]\n: v\n",
    "? {a: b}\n: v\n",
    "tagged: !!str 12\nset: !!set {a, b}\nbin: !!binary aGVsbG8=\n",
    "omap: !!omap [a: 1, b: 2]\npairs: !!pairs [a: 1, a: 2]\n",
    "odd: !custom 1\n",
    "py: !!python/object:os.system echo\n",
    "= : value\n",
    "just text\n",
    "- a\n- b\n",
    "",
    "# only a comment\n",
    "a:\n  b:\n    c:\n      d: [[[[[[1]]]]]]\n",
    "nested: " + "[" * 80 + "]" * 80 + "\n",
    "unicode: \"caf\\u00e9 – 100%\"\nmulti: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
    "key with spaces: 1\n123: int key\n1.5: float key\ntrue: bool key\nnull: null key\n2026-01-01: date key\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_same_objects_or_same_error_as_pyyaml(text: str) -> None:
    mine, theirs = both(text)
    assert repr(mine) == repr(theirs)  # repr: a recursive list cannot be compared with ==


@pytest.mark.parametrize(("text", "message"), [
    ("dup: 1\ndup: 2\nother: 3\n", "the key 'dup' is written twice (lines 1 and 2)"),
    ("a: &a 1\nb: *a\nb: 2\n", "the key 'b' is written twice (lines 2 and 3)"),  # PyYAML's own constructor
    ("yes: 1\ntrue: 2\n", "the key 'True' is written twice (in two spellings)"),
    ("date: 2026-03-19\nbad: 2026-02-30\n", "a date that does not exist (2026-02-30)"),
    ("n: " + "9" * 5000 + "\n", "a number too long to read (5,000 digits)"),
])
def test_what_pyyaml_lets_through_or_crashes_on_is_refused_with_its_line(text: str, message: str) -> None:
    """Issue 9.8 and 9.9: PyYAML keeps the last of two keys silently, and raises a bare ValueError for a
    date that does not exist or a number over 4,300 digits; compass names the key or value and its line."""
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        yaml.load(text, Loader=PlainLoader)  # noqa: S506 - a safe loader
    assert message in str(caught.value.problem)
    assert caught.value.problem_mark is not None


def test_aliases_still_share_objects() -> None:
    """PlainLoader builds what PyYAML builds, aliases included (the files compass reads go through a loader
    that refuses them: loading._NoAliases)."""
    data = yaml.load("a: &a [1]\nb: *a\n", Loader=PlainLoader)  # noqa: S506
    assert data["a"] is data["b"]


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=False),
    st.text(max_size=20), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
_documents = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.text(max_size=10), st.integers(), st.booleans()), inner, max_size=5),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_documents, st.sampled_from([None, False, True]))
def test_any_document_loads_the_same(doc: Any, flow: bool | None) -> None:
    text = yaml.safe_dump(doc, default_flow_style=flow, allow_unicode=True)
    mine, theirs = both(text)
    assert mine == theirs
