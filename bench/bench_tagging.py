"""Benchmark and accuracy table for theme tagging, uptake and recurring recommendations.

    .venv/bin/python bench/bench_tagging.py [--texts 150000] [--recs 50000]

Prints precision and recall per topic theme on tests/data/labelled_themes.csv: the tuning splits (every
split but the held-out ones) together and per split, and the held-out splits together (and with the rules
alone, without the theme model) and apart; then the
held-out texts as a second reader labelled them (tests/data/labelled_themes_second_reader.csv), against the
first. Then times tag_texts, the bulk path of imports and re-tags, over generated texts, all distinct (target:
150,000 under 10 s), on every core and on one; tag_text one text at a time as plan versions repeat them (the
remembered answers); find_uptake; and group_recommendations (target: 50,000 in seconds). CPU time
(time.process_time, this process only) and wall time are printed with the load average, since other work
shares the machine.
"""
from __future__ import annotations

import argparse
import os
import csv
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from dhrlearn.recurring import group_recommendations  # noqa: E402
from dhrlearn import themes  # noqa: E402
from dhrlearn.theme_model import theme_model  # noqa: E402
from dhrlearn.themes import (  # noqa: E402
    ACCURACY_FILE, reload_taxonomy, tag_text, tag_texts, taxonomy, topic_themes,
)
from dhrlearn.uptake import find_uptake  # noqa: E402
from run import reference_ms  # noqa: E402  (bench/run.py: the fixed loop that shows how fast the machine ran)

LABELLED = ROOT / "tests" / "data" / "labelled_themes.csv"
AGENCIES = [
    "West Mercia Police", "Avon and Somerset Police", "the ICB", "the CCG", "Adult Social Care", "Cranstoun",
    "Change Grow Live", "the Probation Service", "the Housing team", "the mental health trust", "Children First",
    "the district council", "the acute trust", "Turning Point", "the CSP", "the Safeguarding Adults Board",
]
FILLER = (
    "staff officers practitioners victims families partners service users cases incidents referrals "
    "assessments meetings reviews reports plans processes systems managers teams leads contacts visits "
    "concerns disclosures outcomes updates actions priorities quarterly monthly annual local regional"
).split()


def labelled_rows() -> list[dict]:
    with open(LABELLED, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def topics(cell: str) -> set[str]:
    return {t.strip() for t in cell.split(";") if t.strip()}


def accuracy_table(rows: list[dict], use_model: bool = True) -> list[tuple[str, int, float, float]]:
    """Precision and recall of the tagger (use_model=False: the rules alone) against the rows' labels."""
    return agreement_table([(topics(row["topics"]), topic_themes(row["text"], use_model)) for row in rows])


def agreement_table(pairs: list[tuple[set, set]]) -> list[tuple[str, int, float, float]]:
    """Precision and recall of the second set of each (gold, got) pair against the first, per topic theme."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, got in pairs:
        tp.update(got & gold)
        fp.update(got - gold)
        fn.update(gold - got)
    table = []
    for theme in taxonomy().topic_themes():
        support = tp[theme] + fn[theme]
        precision = tp[theme] / (tp[theme] + fp[theme]) if tp[theme] + fp[theme] else float("nan")
        recall = tp[theme] / support if support else float("nan")
        table.append((theme, support, precision, recall))
    total = sum(tp.values())
    table.append(("(micro average)", total + sum(fn.values()),
                  total / (total + sum(fp.values())), total / (total + sum(fn.values()))))
    return table


SECOND_READER = ROOT / "tests" / "data" / "labelled_themes_second_reader.csv"


def held_out(split: str) -> bool:
    """A split never used to change a rule: named holdout* until its misses are read, then renamed round*."""
    return split.startswith("holdout")


def print_accuracy() -> None:
    rows = labelled_rows()
    held_out_splits = sorted({r["split"] for r in rows if held_out(r["split"])})
    splits = sorted({r["split"] for r in rows} - set(held_out_splits))
    tables = {"tuning": accuracy_table([r for r in rows if not held_out(r["split"])]),
              "held out": accuracy_table([r for r in rows if held_out(r["split"])]),
              "held out, rules alone": accuracy_table([r for r in rows if held_out(r["split"])], use_model=False)}
    tables.update({s: accuracy_table([r for r in rows if r["split"] == s]) for s in held_out_splits + splits})
    header = f"{'topic theme':24}" + "".join(f" | {name + ' n/P/R':>18}" for name in tables)
    counts = Counter(r["split"] for r in rows)
    print(f"Labelled texts: {len(rows)} (" + ", ".join(f"{s} {counts[s]}" for s in splits + held_out_splits) + ")")
    print(header)
    print("-" * len(header))
    for i, (theme, *_rest) in enumerate(tables["tuning"]):
        cells = []
        for table in tables.values():
            _, n, p, r = table[i]
            cells.append(f" | {n:4d} {p:6.2f} {r:6.2f}" if n else f" | {'-':>18}")
        print(f"{theme:24}" + "".join(cells))


def write_accuracy(path: Path = ACCURACY_FILE) -> None:
    """The held-out figures per topic theme, as the Themes page shows them beside each theme's share."""
    table = accuracy_table([r for r in labelled_rows() if held_out(r["split"])])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write("# How often the tagger agrees with a person reading the labelling guide, per topic theme, on text\n"
                     "# no rule was written from and the theme model never learnt from: the held-out splits of\n"
                     "# tests/data/labelled_themes.csv (see THEMES.md).\n"
                     "# labels: texts the reader gave the theme; precision: share of the tagger's tags the reader also\n"
                     "# gave; recall: share of the reader's labels the tagger found. Written by\n"
                     "# `.venv/bin/python bench/bench_tagging.py --write-accuracy`; a test fails when it is out of date.\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["theme", "labels", "precision", "recall"])
        for theme, n, precision, recall in table[:-1]:  # the last row is the micro average
            if n:
                writer.writerow([theme, n, f"{precision:.2f}", f"{recall:.2f}"])
    print(f"Wrote {path.relative_to(ROOT)}")


def print_readers() -> None:
    """The held-out texts as two readers of the guide labelled them, and the tagger against each."""
    rows = [r for r in labelled_rows() if held_out(r["split"])]  # their labels are the writers' own
    with open(SECOND_READER, newline="", encoding="utf-8") as handle:
        second = {r["id"]: topics(r["topics"]) for r in csv.DictReader(l for l in handle if not l.startswith("#"))}
    first = {r["id"]: topics(r["topics"]) for r in rows if r["id"] in second}
    tagged = {r["id"]: topic_themes(r["text"]) for r in rows}
    tables = {
        "second reader vs first": agreement_table([(first[i], second[i]) for i in first]),
        "tagger vs first": agreement_table([(first[i], tagged[i]) for i in first]),
        "tagger vs second": agreement_table([(second[i], tagged[i]) for i in first]),
    }
    print(f"Held-out texts read twice: {len(first)} (precision and recall of the second against the first)")
    header = f"{'topic theme':24}" + "".join(f" | {name + ' n/P/R':>30}" for name in tables)
    print(header)
    print("-" * len(header))
    for i, (theme, *_rest) in enumerate(tables["tagger vs first"]):
        cells = [f" | {n:16d} {p:6.2f} {r:6.2f}" for _, n, p, r in (table[i] for table in tables.values())]
        print(f"{theme:24}" + "".join(cells))


def generated_texts(count: int, rng: random.Random) -> list[str]:
    """Unique texts in the styles of the labelled set: agency swaps, dates, staff initials, filler words."""
    bases = [r["text"] for r in labelled_rows()]
    texts = []
    for n in range(count):
        parts = [rng.choice(bases)]
        if rng.random() < 0.4:
            parts.append(rng.choice(bases))
        text = " ".join(parts).replace("Police", rng.choice(AGENCIES))
        text += f" {rng.choice('ABCDEFGHJKLMNPRS')}{rng.choice('ABCDEFGHJKLMNPRS')} {n % 28 + 1:02d}.{n % 12 + 1:02d}.2023 "
        text += " ".join(rng.choices(FILLER, k=rng.randint(0, 12)))
        texts.append(text)
    return texts


def generated_recommendations(count: int, rng: random.Random) -> pd.DataFrame:
    """`count` recommendations over count/10 cases: about 40% re-state one of 500 learnings (an agency named
    differently, a word changed), the rest are drawn word by word from the labelled texts' vocabulary."""
    vocabulary = " ".join(r["text"] for r in labelled_rows()).split()  # repeats keep real word frequencies
    learnings = [" ".join(rng.choices(vocabulary, k=rng.randint(12, 30))) for _ in range(500)]
    rows = []
    for n in range(count):
        case_id = n // 10 + 1
        if rng.random() < 0.4:
            words = rng.choice(learnings).split()
            if rng.random() < 0.5:
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            text = f"{rng.choice(AGENCIES)} should {' '.join(words)}"
        else:
            text = " ".join(rng.choices(vocabulary, k=rng.randint(10, 40)))
        rows.append((n + 1, case_id, text))
    return pd.DataFrame(rows, columns=["recommendation_id", "case_id", "text"])


def timed(label: str, work) -> float:
    """Run work(), print CPU and wall seconds with the load average and the reference loop's time just
    before (this machine's speed varies by half again: bench/README.md); return the CPU seconds."""
    load, reference = os.getloadavg(), reference_ms()
    wall, cpu = time.perf_counter(), time.process_time()
    detail = work()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{label}: {cpu:.2f} s CPU, {wall:.2f} s wall{detail} "
          f"[load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores; "
          f"reference loop {reference:.0f} ms, about 55 when the machine is quiet]")
    return cpu


def timed_wall(label: str, work) -> float:
    """timed(), returning the wall seconds: CPU time leaves out the other processes' share."""
    wall = time.perf_counter()
    timed(label, work)
    return time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=150_000)
    parser.add_argument("--recs", type=int, default=50_000)
    parser.add_argument("--no-accuracy", action="store_true", help="skip the accuracy table")
    parser.add_argument("--write-accuracy", action="store_true",
                        help=f"write the held-out figures to {ACCURACY_FILE.relative_to(ROOT)} and stop")
    args = parser.parse_args()
    rng = random.Random(7)
    if args.write_accuracy:
        write_accuracy()
        return

    if not args.no_accuracy:
        print_accuracy()
        print()
        print_readers()
        print()

    texts = generated_texts(args.texts, rng)
    taxonomy()  # compile once, outside the timing
    theme_model()
    # The bulk path of imports and re-tags: from PARALLEL_FROM texts on, shared out over the cores.
    wall = timed_wall(f"tag_texts, {len(texts):,} distinct texts on {themes._cores()} cores (target under 10 s wall)",
                      lambda: f", {sum(map(len, tag_texts(texts))):,} theme matches")
    print(f"  {len(texts) / wall:,.0f} texts per second")
    reload_taxonomy()
    parallel_from, themes.PARALLEL_FROM = themes.PARALLEL_FROM, len(texts) + 1
    tag_seconds = timed(f"tag_texts, {len(texts):,} distinct texts on one core",
                        lambda: f", {sum(map(len, tag_texts(texts))):,} theme matches")
    themes.PARALLEL_FROM = parallel_from
    print(f"  {len(texts) / tag_seconds:,.0f} texts per CPU second")
    # Plan versions of a case repeat most texts: 150,000 texts drawn from 30,000 distinct ones.
    reload_taxonomy()
    repeated = [texts[rng.randrange(len(texts) // 5)] for _ in texts]
    timed_wall(f"tag_texts, {len(repeated):,} texts, {len(set(repeated)):,} distinct",
               lambda: f", {sum(map(len, tag_texts(repeated))):,} theme matches")
    reload_taxonomy()
    timed(f"tag_text one text at a time, the same {len(repeated):,} (answers remembered, the model read per text)",
          lambda: f", {sum(len(tag_text(t)) for t in repeated):,} theme matches")
    timed(f"find_uptake, {len(texts):,} texts", lambda: f", {sum(len(find_uptake(t)) for t in texts):,} evidence rows")

    recs = generated_recommendations(args.recs, rng)
    groups = []
    timed(f"group_recommendations, {len(recs):,} recommendations",
          lambda: groups.append(group_recommendations(recs)) or "")
    print(f"  -> {groups[0]['group_id'].nunique():,} groups, {len(groups[0]):,} members")


if __name__ == "__main__":
    main()
