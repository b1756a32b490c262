"""YAML and JSON in, models out, with errors that name the file, the line and the key path.

Only safe loading: the libyaml C loader where it is installed, PyYAML's pure-Python safe
loader otherwise; never a loader that can build arbitrary objects. Anchors and aliases
are refused in answer files (they are never needed, and nested aliases are how a small
"billion laughs" file expands into billions of nodes).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from compass_cli import answers as answer_rules
from compass_cli.errors import InputError, Problem, UsageError
from compass_cli.models import AnswerFile, Benchmark, Framework, FrameworkFile
from compass_cli.resources import bundled

try:  # the C loader is several times faster; fall back quietly where libyaml is missing
    from yaml import CSafeLoader as FastLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as FastLoader  # type: ignore[assignment]
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

#: Largest answer file read. A complete evaluation with generous notes is under 100 KB.
MAX_ANSWER_BYTES = 2 * 1024 * 1024
#: Largest questionnaire file read.
MAX_QUESTIONNAIRE_BYTES = 4 * 1024 * 1024

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


def read_document(path: Path, *, max_bytes: int, allow_aliases: bool = False) -> Document:
    """Read one YAML or JSON file that must hold a mapping."""
    name = str(path)
    if not path.exists():
        raise InputError.one(name, "no such file")
    if path.is_dir():
        raise InputError.one(name, "is a folder, not a file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError.one(
                name, f"is {size:,} bytes; files over {max_bytes:,} bytes are refused as too large to be an answer file"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError.one(name, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.one(name, f"is not UTF-8 text (bad byte at position {exc.start})") from None
    if not text.strip():
        raise InputError.one(name, "is empty; expected a YAML or JSON mapping")
    is_json = path.suffix.lower() == ".json"
    data = _parse_json(name, text) if is_json else _parse_yaml(name, text)
    if not allow_aliases and not is_json and "*" in text:  # no "*", no alias: the walk is skipped
        _refuse_aliases(name, data)
    if data is None:
        raise InputError.one(name, "is empty; expected a YAML or JSON mapping")
    if not isinstance(data, dict):
        raise InputError.one(name, f"holds a {_kind(data)}, not a mapping of keys to values", line=1)
    return Document(path, data, text, is_json)


def _parse_json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.one(name, f"is not valid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except RecursionError:
        raise InputError.one(name, "is nested too deeply to be an answer file") from None


class _Unusual(Exception):
    """The document uses something that only PyYAML's general constructor builds."""


_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALARS: dict[str, Callable[[Any, ScalarNode], Any]] = {
    _TAG + "int": SafeConstructor.construct_yaml_int,
    _TAG + "float": SafeConstructor.construct_yaml_float,
    _TAG + "bool": SafeConstructor.construct_yaml_bool,
    _TAG + "null": SafeConstructor.construct_yaml_null,
    _TAG + "timestamp": SafeConstructor.construct_yaml_timestamp,
}
_MAX_PLAIN_DEPTH = 64


class PlainLoader(FastLoader):  # type: ignore[misc, valid-type]
    """The safe loader, building plain documents straight from the parser's nodes.

    PyYAML's constructor is general (objects shared through aliases, merge keys, recursive
    structures, tags) and pays for that on every node; answer files use none of it, and a
    hub summary reads thousands of them. A document made only of mappings, lists and the
    standard scalars (text, numbers, true/false, null, dates) is built here with PyYAML's
    own scalar constructors, giving the same objects in about two thirds of the time.
    Anything else (an alias, a merge key, a tag, an unhashable key, deep nesting) is
    handed whole to PyYAML's constructor, so every document loads exactly as before.
    """

    def construct_document(self, node: Node) -> Any:
        try:
            return self._plain(node, set(), 0)
        except _Unusual:
            return super().construct_document(node)

    def _plain(self, node: Node, seen: set[int], depth: int) -> Any:
        kind = node.__class__
        if kind is ScalarNode:
            if node.tag == _TAG + "str":
                return node.value
            build = _PLAIN_SCALARS.get(node.tag)
            if build is None:
                raise _Unusual
            return build(self, node)
        if id(node) in seen or depth > _MAX_PLAIN_DEPTH:  # an alias: PyYAML shares the object
            raise _Unusual
        seen.add(id(node))
        if kind is SequenceNode and node.tag == _TAG + "seq":
            return [self._plain(item, seen, depth + 1) for item in node.value]
        if kind is MappingNode and node.tag == _TAG + "map":
            mapping = {}
            for key_node, value_node in node.value:
                key = self._plain(key_node, seen, depth + 1)
                value = self._plain(value_node, seen, depth + 1)
                try:
                    mapping[key] = value
                except TypeError:  # an unhashable key: PyYAML's own error says so
                    raise _Unusual from None
            return mapping
        raise _Unusual


def _parse_yaml(name: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=PlainLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "cannot be parsed"
        raise InputError.one(name, f"is not valid YAML: {what}", line=line) from None
    except yaml.YAMLError as exc:
        raise InputError.one(name, f"is not valid YAML: {exc}") from None
    except ValueError as exc:  # a value YAML recognises but Python cannot build, e.g. the date 2026-02-30
        raise InputError.one(name, f"holds a value that cannot be read: {exc} (a date that does not exist?)") from None
    except RecursionError:
        raise InputError.one(name, "is nested too deeply to be an answer file") from None


def _refuse_aliases(name: str, data: Any) -> None:
    """Refuse a document in which one container appears twice (a YAML alias).

    The loader shares aliased objects rather than copying them, so this walk is as cheap
    as the file is long; walking the expanded tree of a "billion laughs" file is what hangs.
    """
    seen: set[int] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (dict, list)):
            if id(item) in seen:
                raise InputError.one(
                    name, "uses YAML anchors and aliases (& and *), which answer files may not use"
                )
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)


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
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "unknown key (not part of the format)"
    elif err["type"] == "missing":
        message = "required key is missing"
    return Problem(str(doc.path), message, doc.line_of(loc), pretty_path(doc.data, loc))


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


# --------------------------------------------------------------------------- frameworks


def bundled_frameworks() -> list[Path]:
    """The folders of the bundled frameworks, by name."""
    root = bundled("questionnaires")
    return sorted(p for p in root.iterdir() if (p / "framework.yaml").is_file()) if root.is_dir() else []


DEFAULT_FRAMEWORK = "gatsby-2025-schools"


def framework_path(ref: str | Path | None) -> Path:
    """Resolve a framework id (bundled) or a path to a framework folder."""
    ref = ref or DEFAULT_FRAMEWORK
    for folder in bundled_frameworks():
        if folder.name == str(ref):
            return folder
    path = Path(ref)
    if path.is_dir() and (path / "framework.yaml").is_file():
        return path
    known = ", ".join(p.name for p in bundled_frameworks()) or "none"
    raise UsageError(f"unknown framework '{ref}' (bundled: {known}; or give a folder holding framework.yaml)")


def load_framework(ref: str | Path | None = None) -> Framework:
    """Load and cross-check a framework; every problem in every file is reported at once."""
    folder = _bundled_by_id().get(str(ref or DEFAULT_FRAMEWORK))  # found without touching the disk
    return _load_framework_cached(folder or framework_path(ref).resolve())


@lru_cache(maxsize=1)
def _bundled_by_id() -> dict[str, Path]:
    """The bundled framework folders by id. Answer files name their framework, so a batch of
    thousands asks for the same one thousands of times; bundled data does not change while
    compass runs, so it is looked up on disk once."""
    return {folder.name: folder.resolve() for folder in bundled_frameworks()}


@lru_cache(maxsize=8)
def _load_framework_cached(folder: Path) -> Framework:
    problems: list[Problem] = []
    meta_doc = read_document(folder / "framework.yaml", max_bytes=MAX_QUESTIONNAIRE_BYTES, allow_aliases=True)
    try:
        meta: FrameworkFile = validate(FrameworkFile, meta_doc)
    except InputError as exc:
        raise InputError(f"{folder}: invalid questionnaire", exc.problems) from None
    benchmarks: list[Benchmark] = []
    docs: dict[str, Document] = {}
    for name in meta.benchmarks:
        try:
            doc = read_document(folder / name, max_bytes=MAX_QUESTIONNAIRE_BYTES, allow_aliases=True)
            benchmarks.append(validate(Benchmark, doc))
            docs[benchmarks[-1].id] = doc
        except InputError as exc:
            problems += exc.problems
    framework = Framework(meta=meta, benchmarks=benchmarks)
    if not problems:
        from compass_cli.checks import check_framework

        problems += check_framework(framework, folder, docs)
    if problems:
        raise InputError(f"{folder}: invalid questionnaire", problems)
    return framework


# --------------------------------------------------------------------------- answer files


class LoadedAnswers:
    """An answer file: the validated model and its answers in canonical form."""

    def __init__(self, path: Path, model: AnswerFile, answers: dict[str, Any]) -> None:
        self.path = path
        self.model = model
        self.answers = answers


def load_answers(path: str | Path, framework: Framework | None = None) -> tuple[LoadedAnswers, Framework]:
    """Load one answer file and check every answer against its framework.

    ``framework`` is used when given (and must match the file's framework id); otherwise
    the bundled framework the file names is loaded.
    """
    path = Path(path)
    doc = read_document(path, max_bytes=MAX_ANSWER_BYTES)
    model: AnswerFile = validate(AnswerFile, doc)
    if framework is None or framework.id != model.framework:
        if framework is not None:
            raise InputError.one(
                path,
                f"is an evaluation for framework '{model.framework}', not '{framework.id}'",
                doc.line_of(("framework",)),
                "framework",
            )
        try:
            framework = load_framework(model.framework)
        except UsageError as exc:
            raise InputError.one(path, exc.message, doc.line_of(("framework",)), "framework") from None
    answers, problems = answer_rules.normalise(framework, model)
    problems = [
        Problem(str(path), p.message, doc.line_of(tuple(p.path_parts)), p.where) for p in problems
    ]
    if problems:
        raise InputError(f"{path}: invalid", problems)
    return LoadedAnswers(path, model, answers), framework


def answer_files(paths: list[Path]) -> Iterator[Path]:
    """Every answer file under the given files and folders (folders searched recursively),
    in a stable order. Other files in folders (README, .DS_Store) are ignored by extension."""
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.suffix.lower() in ANSWER_SUFFIXES and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise InputError.one(path, "is a folder with no answer files in it (.yaml, .yml or .json)")
            yield from found
        else:
            yield path
