"""How long normalise_plan takes over a large corpus: 150,000 actions in 15,000 recommendations.

Run: .venv/bin/python bench/bench_normalise.py
Every update text is unique (as in real running logs), so the status cache does not help;
agencies and target dates repeat as they do across real plans.
"""
from __future__ import annotations

import random
import time

from dhrlearn.model import ParsedAction, ParsedPlan, ParsedRecommendation, Provenance
from dhrlearn.normalise.agencies import default_directory
from dhrlearn.normalise.plan import normalise_plan

AGENCIES = ["WMP", "WCF and ASC", "All agencies/The South Worcestershire CSP", "H&W H&C Trust", "Worcs Acute",
            "Cranstoun Worcestershire", "Clinical Commissioning Group", "GP practice", "Police, Health & ASC", "",
            "West Mercia Polce", "Devon and Cornwall Police"]
DATES = ["12.01.2023", "Jan 2023", "April 21 - Mar 22", "summer of 2023", "Q1 2023/24", "Ongoing", "",
         "Reviewed at 12.01.2023", "31/02/2023", "2023"]
ENDINGS = ["Complete", "Incomplete - to be updated", "In progress.", "", "Update awaited", "Not started"]


def corpus(actions_total: int, per_rec: int = 10, seed: int = 1) -> ParsedPlan:
    rng = random.Random(seed)
    plan = ParsedPlan("bench.xlsx", "0" * 64, "xlsx", "bench")
    for r in range(actions_total // per_rec):
        rec = ParsedRecommendation(number_raw=f"Recommendation No {r + 1}", scope_raw="Local",
                                   owning_agencies_raw=rng.choice(AGENCIES), provenance=Provenance("bench.xlsx", "S", f"row {r}"))
        for a in range(per_rec):
            # A unique site-specific prefix, optionally a unique tail made of unknown agencies.
            unique_lead = f"Local Befriending Group {r}" if rng.random() < 0.01 else rng.choice(AGENCIES)
            rec.actions.append(ParsedAction(
                text="Share learning",
                lead_agency_raw=unique_lead,
                target_date_raw=rng.choice(DATES),
                update_text=f"Update {r}.{a}: we have completed the first two actions; team minutes to follow. "
                            + rng.choice(ENDINGS),
                provenance=Provenance("bench.xlsx", "S", f"row {r}"),
            ))
        plan.recommendations.append(rec)
    return plan


def main() -> None:
    default_directory()  # loading reference files is a once-per-process cost, timed separately
    plan = corpus(150_000)
    start = time.process_time()
    normalise_plan(plan)
    first = time.process_time() - start
    start = time.process_time()
    normalise_plan(plan)
    second = time.process_time() - start
    print(f"actions: {len(plan.actions)}  warnings: {len(plan.warnings)}")
    print(f"normalise_plan CPU time, first run: {first:.2f} s; second run (caches warm): {second:.2f} s")


if __name__ == "__main__":
    main()
