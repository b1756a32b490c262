"""The Jinja2 environment for reports: bundled templates, overridable one file at a time, sandboxed.

A user's ``--templates DIR`` comes first in a ChoiceLoader, so a Careers Hub can replace
one template (a header with its logo, say) and keep the rest. A shared template folder is
someone else's code, so every template, bundled or not, runs in Jinja's immutable sandbox:
a template can lay out and word what it is given, but it cannot reach Python's internals
(``cycler.__init__.__globals__.os`` is refused), change the objects it is given, run a
command, read a file outside the template folders (a link that leads out of the folder is
refused, and so is anything that is not a regular file) or reach the network. Attempts,
and templates that include themselves without end, are an InputError naming the template
and line. HTML templates (``*.html.j2``) are autoescaped, so a note such as ``<script>`` is
shown, not run; Markdown templates escape every user string with the ``md`` filter
(text.markdown). Every template uses StrictUndefined, so a typo in a template fails loudly
instead of printing nothing.
"""

from __future__ import annotations

import hashlib
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from compass_cli import __version__, text
from compass_cli.cache import cache_folder, keep, open_trusted
from compass_cli.errors import InputError, UsageError
from compass_cli.files import read_regular
from compass_cli.resources import bundled

#: Largest template file read (the bundled ones are a few KB; a logo as a data: image fits).
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024
#: Longest text or list a template may build with * or ** (a report is well under 1 MB).
MAX_BUILT = 10_000_000


def _autoescape(name: str | None) -> bool:
    return name is not None and name.endswith((".html.j2", ".html", ".htm", ".svg.j2"))


class _Folder(jinja2.BaseLoader):
    """Templates from one folder, and only from inside it.

    Jinja's own FileSystemLoader already refuses ``..`` in a template name, but it follows
    links and opens whatever it finds: a link ``header.html.j2 -> ~/.ssh/id_rsa`` in a
    shared folder would copy that file into the report, and a named pipe would hang it.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.real = os.path.realpath(folder)

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = os.path.join(self.folder, *split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        real = os.path.realpath(path)
        if os.path.commonpath([self.real, real]) != self.real:
            raise InputError.one(path, f"is a link to {real}, outside the template folder {self.folder}; "
                                 "templates may only use files inside their folder")
        source = read_regular(Path(path), MAX_TEMPLATE_BYTES, "a template")
        try:
            contents = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError.one(path, f"is not UTF-8 text (bad byte at position {exc.start})") from None
        return contents, os.path.normpath(path), lambda: True  # one environment per command


class _Compiled(jinja2.BytecodeCache):
    """Each template as compiled, kept in the user's cache folder (compass_cli/cache.py).

    Compiling the report's templates takes longer than scoring the answers. Jinja checks a
    kept template against a hash of its source and recompiles it when the source changed; the
    key also carries the settings the code was compiled with, so a change of settings cannot
    bring back code compiled under the old ones.
    """

    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = folder
        self.settings = settings

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{self.settings}|{name}|{filename}".encode()).hexdigest()[:32]

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        f = open_trusted(self.folder / f"{bucket.key}.jinja")
        if f is not None:
            with f:
                bucket.load_bytecode(f)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        keep(self.folder / f"{bucket.key}.jinja", bucket.write_bytecode)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with a ceiling on the size of what ``*`` and ``**`` build.

    ``"x" * 10**10`` or ``9 ** 9 ** 9`` would otherwise take all the memory or all the time.
    """

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and _long_product(left, right):
            raise SecurityError(f"'*' would build something over {MAX_BUILT:,} long")
        if operator == "**" and _huge_power(left, right):
            raise SecurityError("'**' would build a number too large to show")
        return super().call_binop(context, operator, left, right)


def _long_product(left: Any, right: Any) -> bool:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
            return len(seq) * times > MAX_BUILT
    return False


def _huge_power(base: Any, exponent: Any) -> bool:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1:
        return exponent * abs(base).bit_length() > 64 * 1024
    return False


def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """The sandboxed environment: the user's folder (if any) first, then the bundled templates."""
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise UsageError(f"--templates {user_dir}: no such folder")
        loaders.append(_Folder(user_dir))
    loaders.append(_Folder(bundled("templates")))
    settings: dict[str, Any] = {"keep_trailing_newline": True, "trim_blocks": True, "lstrip_blocks": True}
    cached = cache_folder("templates")
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=None if cached is None else _Compiled(cached, f"{__version__} {sorted(settings.items())}"),
        **settings,
    )
    env.filters["md"] = text.markdown
    return env


def render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; any template error names the template file and line.

    Every Markdown and HTML document compass writes (report, summary, comparison, records;
    on the screen, in a file or printed to PDF) is made here, so here it loses its control
    characters (text.printable), whatever the answer files, the framework or a template put in.
    """
    try:
        return text.printable(env.get_template(name).render(**context))
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise InputError.one(where, f"template error: {exc.message}", exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        file, line = _template_frame(name)
        if line is None:  # the top-level template itself is missing
            raise InputError.one(str(exc.name), "template not found") from None
        raise InputError.one(file, f"template error: no template called '{exc.name}'", line) from None
    except jinja2.UndefinedError as exc:
        file, line = _template_frame(name)
        raise InputError.one(file, f"template error: {exc.message}", line) from None
    except SecurityError as exc:
        file, line = _template_frame(name)
        raise InputError.one(file, f"template error: not allowed in a template: {exc}", line) from None
    except jinja2.TemplateError as exc:
        file, line = _template_frame(name)
        raise InputError.one(file, f"template error: {exc}", line) from None
    except RecursionError:
        file, line = _template_frame(name)
        raise InputError.one(file, "template error: the template includes or calls itself without end", line) from None
    except MemoryError:
        file, line = _template_frame(name)
        raise InputError.one(file, "template error: the template builds more text than fits in memory", line) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # A user's template can still fail in plain Python ({{ 1/0 }}, {{ "a" + 1 }}): name
        # the template and line rather than show a traceback.
        file, line = _template_frame(name)
        raise InputError.one(file, f"template error: {exc}", line) from None


def _template_frame(default: str) -> tuple[str, int | None]:
    """The innermost template file and line of the exception being handled."""
    file, line = default, None
    for frame in traceback.extract_tb(sys.exc_info()[2]):
        if frame.filename and frame.filename.endswith(".j2"):
            file, line = frame.filename, frame.lineno
    return file, line
