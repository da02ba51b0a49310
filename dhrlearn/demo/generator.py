"""A deterministic generator of fictional DHR action plans (the demo corpus).

`generate()` returns DemoCase objects, each holding two or three ParsedPlan
versions filled with both the raw text the writers put in files and the
normalised values the import pipeline should recover from them. The same
seed always gives the same corpus: dates come from each case's year, never
from today's date.
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import random
from dataclasses import dataclass, field, replace

from dhrlearn import config
from dhrlearn.demo import catalogue as cat
from dhrlearn.importers.grid import looks_like_person
from dhrlearn.model import AgencyRef, CaseMeta, ParsedAction, ParsedPlan, ParsedRecommendation

DEFAULT_SEED = 2026
DEFAULT_CASES = 48
FIRST_YEAR, LAST_YEAR = 2015, 2024  # years of death: ten years
# The latest plan date the corpus uses (a constant, so the corpus never changes with the clock).
LATEST_AS_OF = dt.date(2026, 11, 2)
GENERATOR_VERSION = "demo-1"

FORMATS = ("docx", "pdf", "xlsx", "csv")
LAYOUTS = ("home_office", "seed")  # the two column sets the writers use

# Chance of each case feature (mental health ~60%, substance misuse ~45%; together ~30%).
FEATURE_CHANCE = {
    "mental_health": 0.6,
    "substance": 0.45,
    "children": 0.4,
    "older": 0.2,
    "housing": 0.3,
    "equality": 0.2,
    "perpetrator": 0.35,
    "suicide": 0.3,  # only counts with mental_health
}


@dataclass
class DemoCase:
    """One fictional case: its metadata, file layout and plan versions (oldest first)."""

    meta: CaseMeta
    features: frozenset[str]
    format: str  # docx | pdf | xlsx | csv
    layout: str  # home_office | seed
    status_column: bool  # False: the status word ends the update text, as in the seed plan
    number_style: str = "Recommendation {n}"
    dates: list[dt.date] = field(default_factory=list)  # as-of date of each version
    plans: list[ParsedPlan] = field(default_factory=list)

    @property
    def slug(self) -> str:
        place = self.meta.partnership.split()[0].lower()
        return f"{place}_{self.meta.reference.lower().replace(' ', '-').replace('/', '-').replace('.', '')}"

    def file_name(self, version: int) -> str:
        return f"{self.slug}_v{version + 1}_{self.dates[version]:%Y-%m-%d}.{self.format}"


# ---------------------------------------------------------------- agencies


def load_agencies(path=None) -> dict[str, tuple[str, list[str]]]:
    """Reference agencies: {canonical: (type, [aliases])} from agencies.csv."""
    path = path or config.REFERENCE_DIR / "agencies.csv"
    agencies = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            agencies[row["canonical"].strip()] = (row["type"].strip(), aliases)
    return agencies


class AgencyPicker:
    """Chooses each partnership's agencies once, then writes them as plans do (name or alias)."""

    def __init__(self, agencies: dict[str, tuple[str, list[str]]], rng: random.Random):
        self.agencies = agencies
        self.rng = rng
        self.local: dict[tuple[str, str], str] = {}

    def canonical(self, partnership: str, agency_type: str, learning_key: str = "", when: dt.date | None = None) -> str:
        if learning_key in cat.LEARNING_AGENCY:
            return cat.LEARNING_AGENCY[learning_key]
        if agency_type == "Health commissioners" and when and when < dt.date(*cat.CCG_ENDS):
            return "Clinical Commissioning Group"
        key = (partnership, agency_type)
        if key not in self.local:
            self.local[key] = self.rng.choice(cat.AGENCIES_BY_TYPE[agency_type])
        return self.local[key]

    def write(self, canonical: str, rng: random.Random) -> cat.AgencyChoice:
        if canonical not in self.agencies:
            raise KeyError(f"demo agency {canonical!r} is not in data/reference/agencies.csv")
        agency_type, aliases = self.agencies[canonical]
        usable = [a for a in aliases if _fictional_safe(a) and len(a) > 2 and not looks_like_person(a)]
        written = rng.choice(usable) if usable and rng.random() < 0.3 else canonical
        return cat.AgencyChoice(written, canonical, agency_type)


SMALL_WORDS = {"and", "of", "the", "for", "in", "on"}


def title_case(name: str) -> str:
    """'Mental Health Services' from 'Mental health services'; abbreviations kept as written."""
    return " ".join(w if w.lower() in SMALL_WORDS or not w[0].isalpha() else w[0].upper() + w[1:]
                    for w in name.split())


def _fictional_safe(alias: str) -> bool:
    low = alias.lower() + " "
    return not any(word in low for word in cat.REAL_PLACE_WORDS) and "(" not in alias


# ---------------------------------------------------------------- dates


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def write_target(day: dt.date, rng: random.Random) -> tuple[str, dt.date, str]:
    """A target date as plans write it: (raw text, normalised end of period, precision)."""
    roll = rng.random()
    if roll < 0.45:
        return day.strftime(rng.choice(["%d/%m/%Y", "%d.%m.%Y"])), day, "day"
    if roll < 0.9:
        end = month_end(day.year, day.month)
        return day.strftime(rng.choice(["%b %Y", "%B %Y"])), end, "month"
    quarter = (day.month - 1) // 3 + 1
    return f"Q{quarter} {day.year}", month_end(day.year, quarter * 3), "quarter"


# ---------------------------------------------------------------- cases


def generate(seed: int = DEFAULT_SEED, n_cases: int = DEFAULT_CASES, agencies=None) -> list[DemoCase]:
    """The demo corpus: n_cases fictional cases, same output for the same seed."""
    rng = random.Random(seed)
    picker = AgencyPicker(agencies or load_agencies(), random.Random(f"{seed}-agencies"))
    cases = []
    per_partnership: dict[str, int] = {}
    for index in range(n_cases):
        partnership, place, region = cat.PARTNERSHIPS[index % len(cat.PARTNERSHIPS)]
        year = FIRST_YEAR + (index * 7 + rng.randrange(3)) % (LAST_YEAR - FIRST_YEAR + 1)
        per_partnership[partnership] = per_partnership.get(partnership, 0) + 1
        case_rng = random.Random(f"{seed}-case-{index}")
        cases.append(_case(case_rng, picker, index, partnership, place, region, year, per_partnership[partnership]))
    return cases


def _reference(rng: random.Random, place: str, year: int, serial: int) -> str:
    """A case reference in one of the styles partnerships use (never naming a year other than the death's)."""
    style = rng.randrange(3)
    if style == 0:
        return f"DHR {year}/{serial:02d}"
    if style == 1:
        return f"Case No. {serial + 10}"
    return f"DHR {place[:3].upper()}{year % 100:02d}-{serial:02d}"


def _features(rng: random.Random) -> frozenset[str]:
    found = {name for name, chance in FEATURE_CHANCE.items() if rng.random() < chance}
    if "suicide" in found and "mental_health" not in found:
        found.discard("suicide")
    return frozenset(found)


def _case(rng, picker, index, partnership, place, region, year, serial) -> DemoCase:
    meta = CaseMeta(
        reference=_reference(rng, place, year, serial),
        partnership=partnership,
        area=place,
        region=region,
        year=year,
        is_demo=True,
    )
    features = _features(rng)
    fmt = FORMATS[index % len(FORMATS)]
    layout = rng.choice(LAYOUTS)
    case = DemoCase(meta, features, fmt, layout, status_column=layout == "home_office" or rng.random() < 0.6,
                    number_style=rng.choice(["Recommendation {n}", "Recommendation No {n}", "Recommendation No. {n}"]))
    first = dt.date(year + 1, 1, 1) + dt.timedelta(days=rng.randrange(180, 540))
    dates = [first]
    for _ in range(rng.choice([1, 2, 2])):
        following = dates[-1] + dt.timedelta(days=rng.randrange(180, 360))
        if following <= LATEST_AS_OF:
            dates.append(following)
    case.dates = dates
    story = _story(rng, picker, case, dates, place)
    for number, as_of in enumerate(dates):
        case.plans.append(_plan_version(case, story, number, as_of))
    return case


# A story is each action's fate over time; every version is a snapshot of it.
@dataclass
class ActionStory:
    text: str
    agency: cat.AgencyChoice
    person: str
    training: bool
    created: int  # version index that first lists it
    target: dt.date
    target_raw: str
    target_norm: dt.date
    precision: str
    done_on: dt.date | None  # None: never completes
    superseded_at: int | None
    revised_target: tuple[str, dt.date, str] | None  # a slip: later versions show a new target
    words: dict[str, str] = field(default_factory=dict)  # status -> word used


@dataclass
class RecStory:
    number: int
    text: str
    level: str
    scope: str
    owner: cat.AgencyChoice | None  # single-agency owner; None: overview
    owner_raw: str
    actions: list[ActionStory]
    created: int = 0


def _choose_learnings(rng, features) -> tuple[list[cat.Learning], list[cat.Learning]]:
    """Overview and single-agency learning for one case: one for each of its features first,
    so theme prevalence follows the case mix, then general learning up to 5-20 in all."""
    pool = [x for x in cat.OVERVIEW + cat.SINGLE_AGENCY if all(need in features for need in x.needs)]
    chosen: list[cat.Learning] = []
    for feature in sorted(features):
        options = [x for x in pool if feature in x.needs and x not in chosen]
        if options:
            chosen.append(rng.choice(options))
    n_total = max(rng.randint(5, 20), len(chosen))
    n_over = max(2, round(n_total * rng.uniform(0.25, 0.45)))
    for level, wanted in (("overview", n_over), ("single_agency", n_total - n_over)):
        have = sum(x.level == level for x in chosen)
        rest = [x for x in pool if x.level == level and x not in chosen]
        chosen += rng.sample(rest, max(0, min(len(rest), max(2, wanted) - have)))
    return [x for x in chosen if x.level == "overview"], [x for x in chosen if x.level == "single_agency"]


def _story(rng, picker, case: DemoCase, dates: list[dt.date], place: str) -> list[RecStory]:
    overview, single = _choose_learnings(rng, case.features)
    partnership = case.meta.partnership
    age = LATEST_AS_OF.year - case.meta.year  # older cases have finished more
    owners: dict[str, cat.AgencyChoice] = {}  # one spelling per agency within a plan, as under a banner

    def agency(learning_key: str, agency_type: str) -> cat.AgencyChoice:
        name = picker.canonical(partnership, agency_type, learning_key, dates[0])
        if name not in owners:
            owners[name] = picker.write(name, rng)
        return owners[name]

    def owner(learning_key: str, agency_type: str) -> cat.AgencyChoice:
        """A single-agency owner as its banner row writes it: in title case."""
        choice = agency(learning_key, agency_type)
        return cat.AgencyChoice(title_case(choice.written), choice.canonical, choice.agency_type)

    planned = [(x, None) for x in overview] + [(x, owner(x.key, x.agency_type)) for x in single]
    # Plans group single-agency recommendations under one banner per agency.
    planned.sort(key=lambda pair: (pair[1] is not None, pair[1].canonical if pair[1] else ""))
    recs = []
    for learning, owner in planned:
        text = rng.choice(learning.phrasings).format(place=place)
        owner_raw = owner.written if owner else ""  # overview rows name no owner: the section says "all"
        n_actions = rng.choice([1, 1, 2, 2, 3]) if len(learning.actions) > 1 else 1
        texts = rng.sample(learning.actions, min(n_actions, len(learning.actions)))
        actions = []
        for text_a in texts:
            lead = owner
            if lead is None:
                lead_type = learning.agency_type if rng.random() < 0.7 else rng.choice(
                    ["Police", "Local authority / CSP", "Adult social care"])
                lead = agency(learning.key if lead_type == learning.agency_type else "", lead_type)
            actions.append(_action_story(rng, text_a, lead, learning.training, 0, dates, age))
        recs.append(RecStory(len(recs) + 1, text, learning.level, learning.scope, owner, owner_raw, actions))
    # A few new actions appear in later versions (learning from the monitoring meetings).
    for version in range(1, len(dates)):
        for rec in rng.sample(recs, min(len(recs), rng.choice([0, 1, 1, 2]))):
            text_a = rng.choice([
                "Re-audit after six months to check the change has held.",
                "Report evidence of impact to the partnership board.",
                "Refresh the briefing for staff who joined since the review.",
            ])
            if text_a not in [a.text for a in rec.actions]:
                lead = rec.owner or rec.actions[0].agency
                rec.actions.append(_action_story(rng, text_a, lead, False, version, dates, age))
    return recs


def _action_story(rng, text, agency, training, created, dates, age) -> ActionStory:
    start = dates[created]
    target_day = start + dt.timedelta(days=rng.randrange(60, 420))
    raw, norm, precision = write_target(target_day, rng)
    # Chance of ever completing rises with the case's age; some finish late.
    p_done = min(0.96, 0.62 + 0.06 * age)
    done_on = None
    if rng.random() < p_done:
        done_on = start + dt.timedelta(days=int(rng.triangular(20, 640, 120)))
    superseded = None
    if done_on is None and len(dates) - created > 1 and rng.random() < 0.12:
        superseded = rng.randrange(created + 1, len(dates))
    revised = None
    if (done_on is None or done_on > norm) and rng.random() < 0.35:
        revised = write_target(norm + dt.timedelta(days=rng.randrange(90, 300)), rng)
    person = rng.choice(cat.STAFF)
    return ActionStory(text, agency, person, training, created, target_day, raw, norm, precision,
                       done_on, superseded, revised)


def _status_at(story: ActionStory, version: int, as_of: dt.date) -> str:
    if story.superseded_at is not None and version >= story.superseded_at:
        return "closed_other"
    if story.done_on is not None and story.done_on <= as_of:
        return "complete"
    target = _target_at(story, version)[1]
    if target < as_of:
        return "off_track" if (story.revised_target is None or version == 0) and hash_pick(story, version) else "in_progress"
    return "not_started" if version == story.created and hash_pick(story, version + 7) else "in_progress"


def hash_pick(story: ActionStory, salt: int) -> bool:
    """A stable coin toss per action and version (no shared random state)."""
    return random.Random(f"{story.text}-{story.person}-{story.target}-{salt}").random() < 0.5


def _target_at(story: ActionStory, version: int) -> tuple[str, dt.date, str]:
    if story.revised_target and version > story.created:
        return story.revised_target
    return story.target_raw, story.target_norm, story.precision


def _plan_version(case: DemoCase, recs: list[RecStory], version: int, as_of: dt.date) -> ParsedPlan:
    plan = ParsedPlan(
        source_file=case.file_name(version),
        sha256="",
        format=case.format,
        importer_version=GENERATOR_VERSION,
        case=case.meta,
        as_of_date=as_of,
    )
    for rec in recs:
        actions = [a for a in rec.actions if a.created <= version]
        if not actions:
            continue
        out = ParsedRecommendation(
            number_raw=case.number_style.format(n=rec.number),
            number=str(rec.number),
            text=rec.text,
            level=rec.level,
            scope_raw=rec.scope.capitalize() if case.layout == "home_office" else "",
            scope=rec.scope if case.layout == "home_office" else None,
            owning_agencies_raw=rec.owner_raw,
            owning_agencies=[_ref(rec.owner)] if rec.owner else [],
        )
        for story in actions:
            out.actions.append(_action_at(case, rec, story, version, as_of))
        if not out.owning_agencies:  # an overview recommendation is owned by the agencies leading its actions
            leads = {ref.canonical: ref for action in out.actions for ref in action.lead_agencies}
            out.owning_agencies = [replace(ref) for ref in leads.values()]
        plan.recommendations.append(out)
    return plan


def _ref(choice: cat.AgencyChoice) -> AgencyRef:
    return AgencyRef(choice.written, choice.canonical, choice.agency_type, True)


def _action_at(case: DemoCase, rec: RecStory, story: ActionStory, version: int, as_of: dt.date) -> ParsedAction:
    """The action as this version shows it. In the seed's layout a single-agency row names a
    person as Implementation Lead (its agency is the banner above); other rows name an agency."""
    status = _status_at(story, version, as_of)
    rng = random.Random(f"{story.text}-{story.person}-{story.target}")
    word = story.words.setdefault(status, rng.choice(cat.STATUS_WORDS[status]))
    target_raw, target, precision = _target_at(story, version)
    completed = story.done_on if status == "complete" else None
    log = _update_log(story, version, as_of, case)
    names_person = case.layout == "seed" and rec.level == "single_agency"
    action = ParsedAction(
        text=story.text,
        lead_agency_raw="" if names_person else story.agency.written,
        named_lead=story.person if names_person else "",
        target_date_raw=target_raw,
        status_raw=word if case.status_column else "",
        completion_date_raw=f"{completed:%d/%m/%Y}" if completed and case.layout == "home_office" else "",
        update_text=log if case.status_column else f"{log} {word}".strip(),
        lead_agencies=[_ref(story.agency)],
        target_date=target,
        target_precision=precision,
        status=status,
        status_word=word,
        completion_date=completed if case.layout == "home_office" else None,
    )
    return action


def _update_log(story: ActionStory, version: int, as_of: dt.date, case: DemoCase) -> str:
    """The running update log up to this version: one dated entry per version."""
    entries = []
    for v in range(story.created, version + 1):
        day = case.dates[v]
        status = _status_at(story, v, day)
        if v > story.created and status in ("complete", "closed_other") and _status_at(story, v - 1, case.dates[v - 1]) == status:
            continue  # nothing new to say once closed
        rng = random.Random(f"{story.text}-{story.person}-{v}")
        entries.append(f"{day:%d/%m/%Y} ({story.person}): {_entry(rng, story, status, day, case)}")
    return "\n".join(entries)


def _entry(rng: random.Random, story: ActionStory, status: str, day: dt.date, case: DemoCase) -> str:
    values = {
        "agency": story.agency.written,
        "person": story.person,
        "place": case.meta.area,
        "pct": rng.choice([40, 55, 62, 70, 85, 92]),
        "year": day.year + (1 if day.month > 6 else 0),
    }
    if story.training and status == "complete":
        pool = cat.TRAINING_DONE
    elif story.training and status in ("in_progress", "off_track"):
        pool = cat.TRAINING_PROGRESS
    else:
        pool = {
            "complete": cat.DONE,
            "in_progress": cat.PROGRESS,
            "not_started": cat.NOT_STARTED,
            "off_track": cat.SLIPPED,
            "closed_other": cat.SUPERSEDED,
        }[status]
    text = rng.choice(pool).format(**values)
    if story.revised_target and status != "complete" and story.revised_target[0] and day > story.target_norm:
        text += f" Target date revised from {story.target_raw}."
    return text
