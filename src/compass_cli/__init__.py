"""compass-cli: evaluate a careers programme against the Gatsby Benchmarks, offline.

The names in ``__all__`` are the library's public API, documented in the README ("From
Python"): read and score an evaluation, plan, build and render the report, write the careers
page for the website, summarise a folder of evaluations, measure coverage from activity
records, and the objects they return. Every other module (compass_cli.core, .output, .audit, .cli) is internal and may
change between releases. The names are imported when first used, so ``import compass_cli``
(and ``compass --version``) loads nothing heavy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each public name and the module it lives in.
_PUBLIC = {
    "load_evaluation": "compass_cli.core.evaluation",
    "evaluate": "compass_cli.core.evaluation",
    "Evaluation": "compass_cli.core.evaluation",
    "ScoredEvaluation": "compass_cli.core.evaluation",
    "Frameworks": "compass_cli.core.frameworks",
    "score": "compass_cli.core.scoring",
    "Result": "compass_cli.core.models",
    "plan": "compass_cli.core.planning",
    "Plan": "compass_cli.core.planning",
    "build_report": "compass_cli.core.reporting",
    "Report": "compass_cli.core.reporting",
    "render_report": "compass_cli.output.report",
    "build_publication": "compass_cli.core.publishing",
    "Publication": "compass_cli.core.publishing",
    "render_publication": "compass_cli.output.publication",
    "summarise": "compass_cli.core.summarising",
    "Summary": "compass_cli.core.summarising",
    "records_coverage": "compass_cli.core.records.coverage",
    "Coverage": "compass_cli.core.records.coverage",
    "CompassError": "compass_cli.errors",
}

__all__ = [
    "__version__",
    "load_evaluation", "evaluate", "Evaluation", "ScoredEvaluation", "Frameworks",
    "score", "Result",
    "plan", "Plan",
    "build_report", "Report", "render_report",
    "build_publication", "Publication", "render_publication",
    "summarise", "Summary",
    "records_coverage", "Coverage",
    "CompassError",
]

if TYPE_CHECKING:
    from compass_cli.core.evaluation import Evaluation, ScoredEvaluation, evaluate, load_evaluation
    from compass_cli.core.frameworks import Frameworks
    from compass_cli.core.models import Result
    from compass_cli.core.planning import Plan, plan
    from compass_cli.core.publishing import Publication, build_publication
    from compass_cli.core.records.coverage import Coverage, records_coverage
    from compass_cli.core.reporting import Report, build_report
    from compass_cli.core.scoring import score
    from compass_cli.core.summarising import Summary, summarise
    from compass_cli.errors import CompassError
    from compass_cli.output.publication import render_publication
    from compass_cli.output.report import render_report


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is asked for."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'compass_cli' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
