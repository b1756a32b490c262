from __future__ import annotations

import pytest

from compass_cli.core.framework import Framework
from compass_cli.core.frameworks import load_framework


@pytest.fixture(scope="session")
def fw() -> Framework:
    return load_framework("gatsby-2025-schools")
