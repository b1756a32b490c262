"""YAML and JSON in, models out, every error with its file, line and key path; answer files found.

Only safe loading: the libyaml C loader where it is installed, PyYAML's pure-Python safe
loader otherwise; never a loader that can build arbitrary objects. Anchors and aliases
(and merge keys, which need them) are refused in every file compass reads, answer files and
framework files alike: they are never needed, and nested aliases are how a small "billion
laughs" file expands into billions of nodes. They are refused while the document is built,
at the first node met twice, so nothing is ever expanded.

Nothing is accepted silently: a key written twice (YAML or JSON) is an error naming both
places, as is a value Python cannot build (a date that does not exist, a number thousands
of digits long). Only regular files are read, never more than the size limit
(files.read_regular), and anything that goes wrong while reading one file (a name too
long, no permission, nesting too deep, too little memory) is an InputError about that
file, so a batch of thousands carries on past it.

The answer files under a folder are found here too (:func:`answer_files`). A framework
folder is read by frameworks.py, and one answer file becomes an Evaluation in evaluation.py.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from compass_cli.errors import InputError, Problem
from compass_cli.files import read_regular

try:  # the C loader is several times faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as FastLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as FastLoader  # type: ignore[assignment]
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

#: Largest answer file read. A complete evaluation with generous notes is under 100 KB.
MAX_ANSWER_BYTES = 2 * 1024 * 1024
#: Largest questionnaire file read.
MAX_QUESTIONNAIRE_BYTES = 4 * 1024 * 1024
#: Largest file checked for being one of compass's outputs (a summary of 5,000 schools is about 3 MB).
MAX_OUTPUT_BYTES = 64 * 1024 * 1024

ANSWER_SUFFIXES = (".yaml", ".yml", ".json")


# --------------------------------------------------------------------------- raw documents


class Document:
    """A parsed file and a way to find the line of a key path in it (computed on demand)."""

    def __init__(self, path: Path, data: Any, text: str, is_json: bool) -> None:
        self.path = path
        self.data = data
        self.text = text
        self.is_json = is_json
        self._lines: Callable[[tuple[Any, ...]], int | None] | None = None

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        if self.is_json:
            return None
        if self._lines is None:
            self._lines = _yaml_line_finder(self.text)
        return self._lines(loc)


def read_document(path: Path, *, max_bytes: int, what: str = "an answer file") -> Document:
    """Read one YAML or JSON file that must hold a mapping; InputError (about this file only) if not."""
    return parse_document(path, read_text(path, max_bytes=max_bytes, what=what), what)


def read_text(path: Path, *, max_bytes: int, what: str = "an answer file") -> str:
    """The text of one file, read no further than ``max_bytes``; InputError if it cannot be read or is not UTF-8."""
    raw = read_regular(path, max_bytes, what)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.one(str(path), f"is not UTF-8 text (bad byte at position {exc.start})") from None


def parse_document(path: Path, text: str, what: str = "an answer file") -> Document:
    """The text of a YAML or JSON file (read_text), parsed; it must hold a mapping."""
    name = str(path)
    if not text.strip():
        raise InputError.one(name, "is empty; expected a YAML or JSON mapping")
    is_json = path.suffix.lower() == ".json"
    try:
        data = _parse_json(name, text) if is_json else _parse_yaml(name, text)
    except RecursionError:
        raise InputError.one(name, f"is nested too deeply to be {what}") from None
    except MemoryError:
        raise InputError.one(name, f"holds more than fits in memory; it cannot be {what}") from None
    if data is None:
        raise InputError.one(name, "is empty; expected a YAML or JSON mapping")
    written_by_compass = _compass_output(data)
    if written_by_compass:
        raise CompassOutput.one(name, f"is {written_by_compass} written by compass, not an answer file")
    if not isinstance(data, dict):
        raise InputError.one(name, f"holds a {_kind(data)}, not a mapping of keys to values", line=1)
    return Document(path, data, text, is_json)


class CompassOutput(InputError):
    """The file is one of compass's own outputs (a summary, a comparison, scores as JSON).

    A hub that writes ``compass summary hub/ -o hub/summary.json`` finds it in the folder the
    next time; the summary skips it with a word rather than listing it as a bad answer file.
    """


def _compass_output(data: Any) -> str | None:
    """What compass output a parsed document is, in words, or None."""
    if isinstance(data, dict) and "json_version" in data:
        return {"summary": "a hub summary", "comparison": "a comparison"}.get(str(data.get("kind")))
    if isinstance(data, list) and data and all(isinstance(r, dict) and "json_version" in r and "benchmarks" in r
                                               for r in data):
        return "a set of scores (compass score --format json)"
    return None


def is_compass_output(path: Path) -> bool:
    """Whether the file is one of compass's own outputs (which a command may replace), not an answer file."""
    try:
        read_document(path, max_bytes=MAX_OUTPUT_BYTES)
    except CompassOutput:
        return True
    except InputError:
        return False
    return False


class _Repeated(dict[str, Any]):
    """A JSON object in which ``key`` was written more than once (found by the parse, placed by a walk)."""

    key: str


def _parse_json(name: str, text: str) -> Any:
    repeated: list[_Repeated] = []

    def mapping(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        """A JSON object, marked when a key repeats (json.loads alone keeps the last one silently)."""
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out and not isinstance(out, _Repeated):
                out = _Repeated(out)
                out.key = key
                repeated.append(out)
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=mapping)
    except json.JSONDecodeError as exc:
        raise InputError.one(name, f"is not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except ValueError:  # Python refuses to convert integers of over 4,300 digits
        raise InputError.one(name, "holds a number too long to read (thousands of digits)") from None
    if repeated:
        _refuse_json_repeats(name, text, data)
    return data


def _refuse_json_repeats(name: str, text: str, data: Any) -> None:
    """Name the key written twice, by its key path (and its lines, when the key appears only twice)."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        item, loc = stack.pop()
        if isinstance(item, _Repeated):
            key_path = ".".join(str(p) for p in loc + (item.key,))
            lines = [text.count("\n", 0, m.start()) + 1
                     for m in re.finditer(re.escape(json.dumps(item.key)) + r"\s*:", text)]
            where = f" (lines {lines[0]} and {lines[1]})" if len(lines) == 2 else ""
            raise InputError.one(name, f"the key '{item.key}' is written twice{where}; keep one", lines[-1]
                                 if len(lines) == 2 else None, key_path)
        if isinstance(item, dict):
            stack.extend((v, loc + (k,)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, loc + (i,)) for i, v in enumerate(item))


class _Unusual(Exception):
    """The document uses something that only PyYAML's general constructor builds."""


class _Refused(ConstructorError):
    """Something YAML allows but compass refuses: a key written twice, a value Python cannot build."""


_TAG = "tag:yaml.org,2002:"


def _checked(build: Callable[[Any, ScalarNode], Any]) -> Callable[[Any, ScalarNode], Any]:
    """A scalar constructor whose failures say what the value is and where it is."""

    def construct(loader: Any, node: ScalarNode) -> Any:
        try:
            return build(loader, node)
        except (ValueError, OverflowError) as exc:
            raise _Refused(None, None, _unreadable(node, exc), node.start_mark) from None

    return construct


def _unreadable(node: ScalarNode, exc: Exception) -> str:
    if node.tag == _TAG + "int":  # Python refuses to convert integers of over 4,300 digits
        digits = sum(ch.isdigit() for ch in node.value)
        return f"holds a number too long to read ({digits:,} digits); write a number that could be counted, e.g. 12"
    if node.tag == _TAG + "timestamp":
        return f"holds a date that does not exist ({node.value}); write a real date as YYYY-MM-DD"
    return f"holds a value that cannot be read ({node.value[:40]}): {exc}"


def _unique_keys(node: MappingNode) -> None:
    """Refuse a mapping with a key written twice (PyYAML would keep the last one silently)."""
    first: dict[tuple[str, str], int] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, ScalarNode) and key_node.tag != _TAG + "merge":
            key, line = (key_node.tag, key_node.value), key_node.start_mark.line + 1
            if key in first:
                raise _Refused(None, None, f"the key '{key_node.value}' is written twice (lines {first[key]} and "
                               f"{line}); keep one", key_node.start_mark)
            first[key] = line


_PLAIN_SCALARS: dict[str, Callable[[Any, ScalarNode], Any]] = {
    _TAG + "int": _checked(SafeConstructor.construct_yaml_int),
    _TAG + "float": _checked(SafeConstructor.construct_yaml_float),
    _TAG + "bool": SafeConstructor.construct_yaml_bool,
    _TAG + "null": SafeConstructor.construct_yaml_null,
    _TAG + "timestamp": _checked(SafeConstructor.construct_yaml_timestamp),
}
_MAX_PLAIN_DEPTH = 64


class PlainLoader(FastLoader):
    """The safe loader, building plain documents straight from the parser's nodes.

    PyYAML's constructor is general (objects shared through aliases, merge keys, recursive
    structures, tags) and pays for that on every node; answer files use none of it, and a
    hub summary reads thousands of them. A document made only of mappings, lists and the
    standard scalars (text, numbers, true/false, null, dates) is built here with PyYAML's
    own scalar constructors, giving the same objects in about two thirds of the time.
    Anything else (an alias, a merge key, a tag, an unhashable key, deep nesting) is
    handed whole to PyYAML's constructor, so every document loads exactly as before. Both
    ways refuse a key written twice and name a value that cannot be built (_Refused).
    """

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Any:
        _unique_keys(node)
        return super().construct_mapping(node, deep=deep)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """The tag of a node, remembered for short scalars: the same keys and answers recur in every file
        of a hub, and PyYAML matches each against its table of patterns every time (a tenth of the parse)."""
        if (kind is ScalarNode and len(value) <= _MAX_REMEMBERED and not self.yaml_path_resolvers
                and self.yaml_implicit_resolvers is Resolver.yaml_implicit_resolvers):
            return _scalar_tag(value, implicit)
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]

    def construct_document(self, node: Node) -> Any:
        try:
            return self._plain(node, set(), 0)
        except _Unusual:
            return super().construct_document(node)

    def _plain(self, node: Node, seen: set[int], depth: int) -> Any:
        if id(node) in seen or depth > _MAX_PLAIN_DEPTH:  # an alias: PyYAML shares the object
            raise _Unusual
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if node.tag == _TAG + "str":
                return node.value
            build = _PLAIN_SCALARS.get(node.tag)
            if build is None:
                raise _Unusual
            return build(self, node)
        if isinstance(node, SequenceNode) and node.tag == _TAG + "seq":
            return [self._plain(item, seen, depth + 1) for item in node.value]
        if isinstance(node, MappingNode) and node.tag == _TAG + "map":
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._plain(key_node, seen, depth + 1)
                value = self._plain(value_node, seen, depth + 1)
                try:
                    if key in mapping:
                        _unique_keys(node)  # names both lines; two spellings of one key are caught below
                        raise _Refused(None, None, f"the key '{key}' is written twice (in two spellings); keep one",
                                       key_node.start_mark)
                    mapping[key] = value
                except TypeError:  # an unhashable key: PyYAML's own error says so
                    raise _Unusual from None
            return mapping
        raise _Unusual


_MAX_REMEMBERED = 40


@lru_cache(maxsize=4096)
def _scalar_tag(value: str, implicit: tuple[bool, bool]) -> str:
    """PyYAML's tag for a scalar: a pure function of its text and quoting, while the loader has the safe
    loaders' own table of patterns and no path resolvers (PlainLoader.resolve checks both)."""
    return str(_TAGS.resolve(ScalarNode, value, implicit))  # type: ignore[no-untyped-call]


_TAGS = Resolver()  # the safe loaders' resolver, with no state but the class's table


for _tag, _build in _PLAIN_SCALARS.items():  # the same checks when PyYAML's own constructor builds the document
    PlainLoader.add_constructor(_tag, _build)


class _NoAliases(PlainLoader):
    """PlainLoader refusing anchors and aliases: the loader of every file compass reads.

    An alias makes the parser hand over the node it names once more. The fast build meets a
    node twice and hands the document to PyYAML's constructor, which here refuses, with the
    anchor's line, any node it is asked to build a second time, and any merge key (``<<``)
    before the merge is flattened (flattening nested merges is itself exponential). So the
    document is refused having built each node at most twice."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _Refused(None, None, _ALIASES, node.start_mark)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Any:
        for key_node, _ in node.value:
            if key_node.tag == _TAG + "merge":
                raise _Refused(None, None, _ALIASES, key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


_ALIASES = "uses YAML anchors and aliases (& and *), which compass does not read; write the repeated part out in full"


def _parse_yaml(name: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_NoAliases)  # noqa: S506 - a safe loader
    except _Refused as exc:
        mark = exc.problem_mark
        raise InputError.one(name, str(exc.problem), line=mark.line + 1 if mark else None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "cannot be parsed"
        raise InputError.one(name, f"is not valid YAML: {what}", line=line) from None
    except yaml.YAMLError as exc:
        raise InputError.one(name, f"is not valid YAML: {exc}") from None
    except (ValueError, OverflowError) as exc:  # a value YAML recognises but Python cannot build
        raise InputError.one(name, f"holds a value that cannot be read: {exc}") from None


def _kind(data: Any) -> str:
    return {list: "list", str: "piece of text", int: "number", float: "number", bool: "true/false value"}.get(
        type(data), type(data).__name__
    )


def _yaml_line_finder(text: str) -> Callable[[tuple[Any, ...]], int | None]:
    """Compose the YAML (no objects built) and map a key path to a 1-based line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lambda loc: None

    def find(loc: tuple[Any, ...]) -> int | None:
        node = root
        line = node.start_mark.line + 1 if node is not None else None
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(key):
                        line = k.start_mark.line + 1
                        node = v
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                return line
        return line

    return find


# --------------------------------------------------------------------------- validation


def validate(model: type[BaseModel], doc: Document, data: Any = None, prefix: tuple[Any, ...] = ()) -> Any:
    """Validate ``data`` (default: the whole document) or raise InputError with every problem."""
    try:
        return model.model_validate(doc.data if data is None else data)
    except ValidationError as exc:
        raise InputError(
            f"{doc.path}: invalid", [_problem(doc, prefix + tuple(err["loc"]), err) for err in exc.errors()]
        ) from None


def _problem(doc: Document, loc: tuple[Any, ...], err: Any) -> Problem:
    loc = tuple(p for p in loc if not (isinstance(p, str) and (p.startswith("function-") or p in _UNION_TAGS)))
    return Problem(str(doc.path), plain_message(loc, err), doc.line_of(loc), pretty_path(doc.data, loc))


def _bound(value: Any) -> str:
    """A limit as people write it: 100,000 or 1 (never 1.0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:g}"


def plain_message(loc: tuple[Any, ...], err: Any) -> str:
    """pydantic's message in the words of a person filling in a file, with what to write instead."""
    kind, given = err["type"], err.get("input")
    shown = f"'{' '.join(str(given).split())[:40]}'"
    if kind == "extra_forbidden":
        return "unknown key (not part of the format)"
    if kind == "missing":
        return "required key is missing"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        what = "a number of learners" if "learners" in loc else "a whole number"
        lead = re.match(r"\s*(\d[\d,]*)", str(given)) if isinstance(given, str) else None
        return f"{shown} is not {what}" + (f"; write {lead.group(1).replace(',', '')}" if lead else "")
    if kind == "greater_than_equal":
        return f"{shown} is below {_bound(err['ctx']['ge'])}, the least it can be"
    if kind == "less_than_equal":
        return f"{shown} is more than {_bound(err['ctx']['le'])}, the most it can be"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{shown} is not a date; write it as 2026-11-20 (or 20/11/2026)"
    if kind == "bool_parsing":
        return f"{shown} is not yes or no; write true or false"
    if kind == "string_type":
        return "expected text" + ("" if isinstance(given, (dict, list)) else f"; got {shown}")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "expected keys and values (a mapping) here"
    return str(err["msg"]).removeprefix("Value error, ")


_UNION_TAGS = {"str", "int", "float", "list[str]", "dict[str,str]", "AtLeast", "literal['all','any']"}


def pretty_path(data: Any, loc: tuple[Any, ...]) -> str:
    """A key path a person can follow: list entries with an id are shown by their id."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list):
            item = node[key] if key < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{ident}]" if isinstance(ident, str) else f"[{key}]")
            node = item
        else:
            parts.append(("." if parts else "") + str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)


# --------------------------------------------------------------------------- answer files


def answer_files(paths: list[Path], problems: list[InputError] | None = None) -> Iterator[Path]:
    """Every answer file under the given files and folders, in a stable order.

    Folders are searched recursively; other files in them (README, .DS_Store) are ignored by
    their ending, and hidden files and folders (.git) are skipped. Nothing else is passed over
    in silence: a file with an answer-file ending is yielded even when it is not a regular
    file or a link leads nowhere, so that reading it says why; a folder that cannot be read
    or disappears while it is searched, and a link to a folder (not followed, so a link cannot
    lead round in a circle or count a folder twice), is a problem. Problems are raised, or,
    when ``problems`` is a list, added to it (a hub summary lists them like bad files and
    carries on).
    """
    for path in paths:
        try:
            is_folder = path.is_dir()
        except (OSError, ValueError):
            is_folder = False  # reading it as a file says what is wrong
        if not is_folder:
            yield path
            continue
        found, trouble = _walk(path)
        for problem in trouble:
            if problems is None:
                raise problem
            problems.append(problem)
        if not found and not trouble:
            raise InputError.one(path, "is a folder with no answer files in it (.yaml, .yml or .json)")
        yield from sorted(found)


def _walk(top: Path) -> tuple[list[Path], list[InputError]]:
    """The answer files under ``top``, and what could not be searched (os.scandir: no surprises from rglob)."""
    found: list[Path] = []
    trouble: list[InputError] = []
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except FileNotFoundError:
            trouble.append(InputError.one(folder, "is a folder that disappeared while it was being searched; "
                                                  "its answer files are not included"))
            continue
        except OSError as exc:
            trouble.append(InputError.one(folder, f"is a folder that cannot be read ({exc.strerror or exc}); "
                                                  "its answer files are not included"))
            continue
        for entry in listed:
            if entry.name.startswith("."):
                continue
            child = folder / entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(child)
                elif entry.is_symlink() and entry.is_dir():
                    trouble.append(InputError.one(child, "is a link to a folder, which is not followed; to include "
                                                         "that folder, name it on the command line"))
                elif Path(entry.name).suffix.lower() in ANSWER_SUFFIXES:
                    found.append(child)
            except OSError as exc:
                trouble.append(InputError.one(child, f"cannot be read ({exc.strerror or exc})"))
    return found, trouble
