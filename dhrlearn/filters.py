"""The filters every page and export shares, as bound query parameters.

Every named query that filters accepts the same parameters (see queries/README.md):
an empty list means "all", None years mean "no bound".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Filters:
    as_of: dt.date = field(default_factory=dt.date.today)
    partnerships: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    agencies: tuple[str, ...] = ()
    agency_types: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()

    def params(self) -> dict:
        """Named parameters for dhrlearn.store.db.query (unused ones are ignored)."""
        return {
            "as_of": self.as_of,
            "partnerships": list(self.partnerships),
            "year_from": self.year_from if self.year_from is not None else -1,
            "year_to": self.year_to if self.year_to is not None else 9999,
            "agencies": list(self.agencies),
            "agency_types": list(self.agency_types),
            "levels": list(self.levels),
            "themes": list(self.themes),
        }
