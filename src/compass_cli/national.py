"""The national figures bundled for comparison (domain guide, part 8), with year and source."""

from __future__ import annotations

from functools import lru_cache

import yaml
from pydantic import BaseModel, ConfigDict

from compass_cli.resources import _PACKAGE


class NationalYear(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    year: str
    institutions: int | None = None
    #: True when the source gives only a lower bound ("over 3,000 schools and colleges").
    institutions_more_than: bool = False
    average_achieved: float
    note: str | None = None
    source: str
    percent_achieving: dict[str, float] | None = None


    @property
    def institutions_text(self) -> str | None:
        """The number of institutions as the source gives it: "4,863", or "more than 3,000"."""
        if self.institutions is None:
            return None
        return ("more than " if self.institutions_more_than else "") + f"{self.institutions:,}"


class NationalFigures(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    edition: str
    note: str
    years: list[NationalYear]

    @property
    def latest(self) -> NationalYear:
        """The most recent year (the headline comparison)."""
        return self.years[-1]

    @property
    def latest_by_benchmark(self) -> NationalYear:
        """The most recent year that gives "% fully achieving" for each benchmark."""
        return [y for y in self.years if y.percent_achieving][-1]


@lru_cache(maxsize=1)
def national_figures() -> NationalFigures:
    with open(_PACKAGE / "data" / "national.yaml", encoding="utf-8") as handle:
        return NationalFigures.model_validate(yaml.safe_load(handle))
