from __future__ import annotations

import pytest

from compass_cli.core.loading import load_framework
from compass_cli.core.models import Framework


@pytest.fixture(scope="session")
def fw() -> Framework:
    return load_framework("gatsby-2025-schools")
