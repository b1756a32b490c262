"""The Jinja2 environment for reports: bundled templates, overridable one file at a time.

A user's ``--templates DIR`` comes first in a ChoiceLoader, so a Careers Hub can replace
one template (a header with its logo, say) and keep the rest. HTML templates
(``*.html.j2``) are autoescaped, so a note such as ``<script>`` is shown, not run; every
template uses StrictUndefined, so a typo in a template fails loudly instead of printing
nothing. Template errors become InputError naming the template and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from compass_cli.errors import InputError, UsageError
from compass_cli.resources import bundled


def _autoescape(name: str | None) -> bool:
    return bool(name) and name.endswith((".html.j2", ".html", ".htm", ".svg.j2"))


def environment(user_dir: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise UsageError(f"--templates {user_dir}: no such folder")
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.FileSystemLoader(str(bundled("templates"))))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render one template; any template error names the template file and line."""
    try:
        return env.get_template(name).render(**context)
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
    except jinja2.TemplateError as exc:
        file, line = _template_frame(name)
        raise InputError.one(file, f"template error: {exc}", line) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # A user's template can still fail in plain Python ({{ 1/0 }}, {{ "a" + 1 }}): name
        # the template and line rather than show a traceback.
        file, line = _template_frame(name)
        raise InputError.one(file, f"template error: {exc}", line) from None


def _template_frame(default: str) -> tuple[str, int | None]:
    """The innermost template file and line of the exception being handled."""
    import sys
    import traceback

    file, line = default, None
    for frame in traceback.extract_tb(sys.exc_info()[2]):
        if frame.filename and frame.filename.endswith(".j2"):
            file, line = frame.filename, frame.lineno
    return file, line
