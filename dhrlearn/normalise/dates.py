"""Target and completion dates as written in UK action plans -> a date and its precision.

Always day-first. A period means its LAST day, because a target of "Jan 2023" is
met if the work is done by 31 January: month -> last day of the month; quarter ->
last day of the quarter ("Q1 2023/24" is a UK financial-year quarter, April-June
2023; "Q4 2023" is a calendar quarter); season -> end of the season (spring 31 May,
summer 31 Aug, autumn 30 Nov, winter end of February next year); a bare year or a
financial year ("2023/24") -> its last day; a range ("April 21 - Mar 22") -> the end
of the range. "Ongoing", "BAU", "N/A" mean no date (precision "none", understood).

A cell that is only a date reads with high confidence; a date found inside free
text ("Reviewed at 12.01.2023", review-meeting notes) reads with confidence 0.5.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

IN_TEXT_CONFIDENCE = 0.5

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# season -> (month, day) of its last day; winter ends in February of the next year
SEASON_ENDS = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30), "winter": (2, 0)}
NO_DATE_WORDS = re.compile(
    r"^(?:ongoing|on-going|on going|bau|business as usual|n/?a|not applicable|none|nil|tbc|tba|"
    r"to be confirmed|to be agreed|various|continuous|continual|immediate|immediately|asap|"
    r"as soon as possible|with immediate effect|complete|completed|-+)$"
)
# Words around a date that do not change it: "by end of March 2023", "Target: Jan 2023".
_FILLER = re.compile(
    r"^(?:(?:target(?:\s+date)?|due(?:\s+date)?|deadline|completion|expected|revised|new\s+date|date)\s*[:\-]?\s*)?"
    r"(?:(?:by|before|no\s+later\s+than|for|in|at|from|on|w/?c|week\s+commencing)\s+)?"
    r"(?:(?:the\s+)?end\s+of\s+(?:the\s+)?)?(?:the\s+)?"
)
_RANGE_SPLIT = re.compile(r"\s+(?:-|–|—|to|until|till)\s+|\s*[–—]\s*")


@dataclass(frozen=True)
class DateResult:
    date: dt.date | None
    precision: str = "none"  # one of dhrlearn.model.PRECISIONS
    confidence: float = 0.0
    matched: str = ""  # the text that was read; "" when nothing was understood

    @property
    def understood(self) -> bool:
        """True for a date, and for a deliberate "no date" ("Ongoing", "BAU", "N/A")."""
        return bool(self.matched)


UNREADABLE = DateResult(None, "none", 0.0, "")


def _year(text: str) -> int:
    value = int(text)
    if len(text) <= 2:
        value += 2000 if value < 70 else 1900
    return value


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _month_number(name: str) -> int:
    return MONTHS[name[:3].lower()]


# Each rule: (precision, pattern, builder(match) -> date). Builders raise ValueError
# for impossible dates (31/02/2023), which then read as unreadable.
def _day(m: re.Match) -> dt.date:
    return dt.date(_year(m["y"]), int(m["m"]), int(m["d"]))


def _day_named_month(m: re.Match) -> dt.date:
    return dt.date(_year(m["y"]), _month_number(m["mon"]), int(m["d"]))


def _month(m: re.Match) -> dt.date:
    named = m.groupdict().get("mon")  # "March 2025"; the numeric rule ("03/2025") has no such group
    month = _month_number(named) if named else int(m["m"])
    return _month_end(_year(m["y"]), month)


def _financial_year_start(m: re.Match) -> int:
    start, end = _year(m["fy1"]), _year(m["fy2"])
    if end != start + 1:
        raise ValueError("not consecutive years")
    return start


def _fy_quarter(m: re.Match) -> dt.date:
    start = _financial_year_start(m)
    quarter = int(m["q"])  # Q1 = Apr-Jun ... Q4 = Jan-Mar of the next year
    month = 3 * quarter + 3 if quarter < 4 else 3
    return _month_end(start + (quarter == 4), month)


def _calendar_quarter(m: re.Match) -> dt.date:
    return _month_end(_year(m["y"]), 3 * int(m["q"]))


def _season(m: re.Match) -> dt.date:
    year = _year(m["y"])
    month, day = SEASON_ENDS[m["season"].lower()]
    if month == 2:  # winter 2023 runs into February 2024
        return _month_end(year + 1, 2)
    return dt.date(year, month, day)


def _financial_year(m: re.Match) -> dt.date:
    return dt.date(_financial_year_start(m) + 1, 3, 31)


def _bare_year(m: re.Match) -> dt.date:
    year = int(m["y"])
    if not 1990 <= year <= 2100:
        raise ValueError("not a plausible year")
    return dt.date(year, 12, 31)


_Y = r"(?P<y>\d{4}|\d{2})"
_Y4 = r"(?P<y>\d{4})"
_FY = r"(?:fy\s*)?(?P<fy1>\d{4}|\d{2})\s*[/\-–]\s*(?P<fy2>\d{4}|\d{2})"
_Q = r"(?:q|quarter\s*)(?P<q>[1-4])"
_ORD = r"(?:st|nd|rd|th)?"
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"

RULES: list[tuple[str, str, callable, float]] = [
    # precision, pattern, builder, confidence when the pattern is the whole cell
    ("day", rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}", _day, 1.0),  # ISO
    ("day", r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})", _day, 1.0),
    ("day", r"(?P<d>\d{1,2})\s*(?P<sep>[./\-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})" + _TIME, _day, 1.0),
    ("day", r"(?P<d>\d{1,2})(?P<sep>[./\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{2})", _day, 0.95),
    ("day", rf"(?P<d>\d{{1,2}}){_ORD}[\s\-]*(?:of\s+)?(?P<mon>{_MONTH})\.?[\s\-,]*{_Y}", _day_named_month, 1.0),
    ("day", rf"(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}}){_ORD},?\s+{_Y4}", _day_named_month, 0.9),
    ("quarter", rf"{_Q}\s*,?\s*{_FY}", _fy_quarter, 0.9),
    ("quarter", rf"{_FY}\s*,?\s*{_Q}", _fy_quarter, 0.9),
    ("quarter", rf"{_Q}\s*,?\s*{_Y4}", _calendar_quarter, 0.9),
    ("quarter", rf"{_Y4}\s*,?\s*{_Q}", _calendar_quarter, 0.9),
    ("month", rf"(?P<mon>{_MONTH})\.?[\s\-/',]*{_Y}", _month, 1.0),
    ("month", r"(?P<m>\d{1,2})\s*[./\-]\s*(?P<y>\d{4})", _month, 0.9),
    ("season", rf"(?P<season>spring|summer|autumn|fall|winter)\s*(?:of\s+|term\s+)?{_Y}", _season, 0.9),
    ("year", rf"{_FY}", _financial_year, 0.8),
    ("year", r"(?P<y>\d{4})", _bare_year, 0.9),
]
_FULL = [(p, re.compile(rf"^(?:{pat})\.?$", re.I), build, conf) for p, pat, build, conf in RULES]
_IN_TEXT = [(p, re.compile(rf"(?<![\w/.\-])(?:{pat})(?![\w/])", re.I), build) for p, pat, build, _ in RULES]


def parse_uk_date(raw) -> DateResult:
    """Read one date cell; accepts text, a date or datetime (from openpyxl), or a year number."""
    if raw is None:
        return UNREADABLE
    if isinstance(raw, dt.datetime):
        return DateResult(raw.date(), "day", 1.0, raw.date().isoformat())
    if isinstance(raw, dt.date):
        return DateResult(raw, "day", 1.0, raw.isoformat())
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return _parse_text(str(int(raw))) if float(raw).is_integer() else UNREADABLE
    return _parse_text(str(raw))


@lru_cache(maxsize=100_000)
def _parse_text(raw: str) -> DateResult:
    text = " ".join(raw.split())
    if not text:
        return UNREADABLE
    cleaned = _FILLER.sub("", text.lower()).strip(" .,;:()")
    if NO_DATE_WORDS.match(cleaned):
        return DateResult(None, "none", 1.0, text)
    found = _whole(cleaned) or _range_end(cleaned)
    if found:
        return _as_written(found, text)
    return _revised(text) or _in_text(text) or UNREADABLE


def _as_written(result: DateResult, text: str) -> DateResult:
    """Report the matched text in the writer's own case ("Jan 2023", not "jan 2023")."""
    start = text.lower().find(result.matched)
    if start < 0 or not result.matched:
        return result
    return DateResult(result.date, result.precision, result.confidence, text[start : start + len(result.matched)])


def _whole(cleaned: str) -> DateResult | None:
    for precision, pattern, build, confidence in _FULL:
        m = pattern.match(cleaned)
        if m:
            try:
                return DateResult(build(m), precision, confidence, m.group(0))
            except ValueError:
                return UNREADABLE  # a date-shaped cell that is impossible: 31/02/2023
    return None


def _range_end(cleaned: str) -> DateResult | None:
    """'April 21 - Mar 22' -> the end, 31 Mar 2022 (when both sides read as periods)."""
    parts = _RANGE_SPLIT.split(cleaned)
    if len(parts) != 2:
        return None
    start, end = (p.strip(" .,") for p in parts)
    end_result = _whole(end)
    start_ok = _whole(start) or re.fullmatch(rf"{_MONTH}|spring|summer|autumn|winter|q[1-4]", start)
    if end_result and end_result.date and start_ok:
        return DateResult(end_result.date, end_result.precision, round(end_result.confidence * 0.9, 3), cleaned)
    return None


# A target moved on: "Dec 2024 (revised to Mar 2025)", "31/03/24 extended to 30/09/24", "New date: June 2025".
# The date right after the last such words is the target now; "extended from Dec 2024" names the old one.
_REVISION = re.compile(
    r"\b(?:revised|extended|moved|changed|rescheduled|deferred|put back|pushed back|new)"
    r"(?:\s+(?:target|date|deadline|target date|due date))?\s*(?:to|until|till|:|-)?\s*",
    re.IGNORECASE,
)


def _revised(text: str) -> DateResult | None:
    for marker in reversed(list(_REVISION.finditer(text))):
        tail = text[marker.end():]
        for precision, pattern, build in _IN_TEXT:
            m = pattern.match(tail)
            if m:
                try:
                    return DateResult(build(m), precision, IN_TEXT_CONFIDENCE, m.group(0))
                except ValueError:
                    continue
    return None


def _in_text(text: str) -> DateResult | None:
    """A date inside free text: the most precise kind found, first occurrence."""
    for precision, pattern, build in _IN_TEXT:
        for m in pattern.finditer(text):
            try:
                return DateResult(build(m), precision, IN_TEXT_CONFIDENCE, m.group(0))
            except ValueError:
                continue
    return None
