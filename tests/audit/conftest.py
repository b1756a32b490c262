from __future__ import annotations

import datetime as dt

import pytest

from compass_cli.loading import load_framework
from compass_cli.models import Framework

TODAY = dt.date(2025, 11, 25)


@pytest.fixture(scope="session")
def fw() -> Framework:
    return load_framework("gatsby-2025-schools")
