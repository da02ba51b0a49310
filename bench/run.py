"""Benchmark at national scale and beyond: one command, a table, bench/RESULTS.md.

    .venv/bin/python bench/run.py [--sizes 1000,10000,50000] [--runs 21] [--no-pages] [--keep DIR]
                                  [--max-recommendations N] [--out FILE]

For each size (cases) it builds a corpus of CSV trackers from the demo generator (a pool of
generated cases copied under new references and partnerships, so text stays realistic), then:
- imports them through the real CSV path (dhrlearn.review: parse + normalise, then commit with
  theme tagging), giving actions/s;
- times theme tagging alone (dhrlearn.themes.tag_texts over distinct texts, as imports and re-tags run it)
  and a full re-tag;
- runs every named query in queries/*.sql with the parameters its `-- params:` line declares
  (defaults from dhrlearn.filters.Filters), median of --runs runs after one warm-up, the runs
  going round every query in turn;
- runs every page of app.py in Streamlit's AppTest against the database (first, uncached run);
- computes three main figures in pandas (completion by agency, overdue by agency, theme
  prevalence) as a reference, timed, and checks they equal the SQL;
- records the database size and the process's peak memory after each stage.
Each size runs in its own process so peak memory is per size. Targets (at 10,000 cases): every
query < 50 ms, every page < 1 s, CSV import > 20,000 actions/s, peak memory < 1 GB.

The generated plans hold about 21 actions each (52 over all of a case's versions), more than the
"10,000 cases (about 150,000 actions)" the analytics targets are set at. --max-recommendations 10
keeps each plan's first 10 recommendations: about 15.5 actions per case in force, the targets' scale
(bench/RESULTS_150k_actions.md). Without it the corpus is heavier, and its figures conservative.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2026, 11, 26)
CASES_PER_FILE = 500
# Cases generated and imported through the real CSV path; larger sizes copy their stored rows
# (see replicate), because importing every case through the importer takes too long to repeat.
BASE_CASES = 400
EXTRA_CASES = 20  # imported afterwards into the full-size database
TAG_SAMPLE = 100_000  # texts timed through tag_text
RETAG_MAX = 10_000  # largest size for which a full re-tag is timed
PARTNERSHIPS = 300  # about as many as there are CSPs in England and Wales
TRACKER_COLUMNS = ["Case", "Partnership", "Level", "Recommendation", "Action to take", "Lead Agency",
                   "Progress update", "Target Date", "Status"]
TARGETS = {"query_ms": 50, "page_s": 1.0, "import_actions_per_s": 20_000, "peak_mb": 1024}


# ---------------------------------------------------------------- corpus


def build_corpus(n_cases: int, out_dir: Path, first: int = 0, seed: int = 2026,
                 max_recommendations: int | None = None) -> dict:
    """CSV trackers holding n_cases generated cases (all their plan versions, each cut to its first
    max_recommendations recommendations when given); one file per year, version and CASES_PER_FILE
    cases, as a partnership's tracker lists many cases at one date."""
    from dhrlearn.demo.generator import generate

    out_dir.mkdir(parents=True, exist_ok=True)
    pool = generate(seed=seed, n_cases=n_cases)
    batches: dict[tuple[int, int], list] = {}
    for i, case in enumerate(pool, start=first):
        identity = (f"Benchmark Area {i % PARTNERSHIPS + 1:03d} CSP", f"BENCH-{i + 1:06d}")
        for version, plan in enumerate(case.plans):
            batches.setdefault((case.meta.year, version), []).append((identity, plan))
    files = actions = 0
    for (year, version), items in sorted(batches.items()):
        for start in range(0, len(items), CASES_PER_FILE):
            chunk = items[start:start + CASES_PER_FILE]
            as_of = max(plan.as_of_date for _, plan in chunk)
            path = out_dir / f"tracker_{year}_v{version + 1}_{start // CASES_PER_FILE + 1:03d}.csv"
            actions += write_tracker(path, year, as_of, chunk, max_recommendations)
            files += 1
    return {"files": files, "actions": actions, "bytes": sum(p.stat().st_size for p in out_dir.glob("*.csv"))}


def write_tracker(path: Path, year: int, as_of: dt.date, chunk: list, max_recommendations: int | None) -> int:
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow([f"Action plan as at: {as_of:%d/%m/%Y}"])
        out.writerow([f"Year of death: {year}"])
        out.writerow(TRACKER_COLUMNS)
        for (partnership, reference), plan in chunk:
            for rec in plan.recommendations[:max_recommendations]:
                level = "Overview" if rec.level == "overview" else "Single agency"
                for i, action in enumerate(rec.actions):
                    out.writerow([
                        reference, partnership, level, f"{rec.number_raw}\n{rec.text}" if i == 0 else "",
                        action.text, action.lead_agency_raw or rec.owning_agencies_raw, action.update_text,
                        action.target_date_raw, action.status_raw or action.status_word,
                    ])
                    count += 1
    return count


# ---------------------------------------------------------------- stages


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def own_peak_mb() -> float:
    """This process's own peak, not counting the process that started it (ru_maxrss carries over exec)."""
    return int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024


def peak_child_mb() -> float:
    """The largest tagging process's peak (forked by tag_texts: it shares most of its pages with this one)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def import_corpus(con, corpus_dir: Path) -> dict:
    """The real CSV import path: review.preview_bytes (parse, normalise) then review.commit
    (store, tag themes) - exactly what review.import_file does - timed separately."""
    from dhrlearn.review import commit, preview_bytes

    parse_s = commit_s = 0.0
    actions = files = 0
    for path in sorted(corpus_dir.glob("*.csv")):
        data = path.read_bytes()
        t0 = time.perf_counter()
        preview = preview_bytes(data, path.name, None, con)
        t1 = time.perf_counter()
        result = commit(con, preview)
        t2 = time.perf_counter()
        if result.outcome != "imported":
            raise RuntimeError(f"{path.name}: {result.message}")
        parse_s += t1 - t0
        commit_s += t2 - t1
        actions += result.actions
        files += 1
    return {"files": files, "actions": actions, "parse_s": parse_s, "commit_s": commit_s, "import_s": parse_s + commit_s}


# Stored rows copied per table: the columns that carry ids and how far each id moves per copy.
REPLICATED = {
    "dhr_case": ["case_id"],
    "plan_version": ["plan_version_id", "case_id"],
    "recommendation": ["recommendation_id", "plan_version_id", "case_id"],
    "action": ["action_id", "recommendation_id", "plan_version_id", "case_id"],
    "agency_link": ["recommendation_id", "action_id", "case_id", "plan_version_id"],
    "theme_match": ["case_id", "plan_version_id", "recommendation_id", "action_id"],
    "uptake_evidence": ["case_id", "plan_version_id", "recommendation_id", "action_id"],
    "recurring_member": ["recommendation_id", "case_id"],
}
ID_SOURCES = {"case_id": "dhr_case", "plan_version_id": "plan_version", "recommendation_id": "recommendation",
              "action_id": "action"}


def replicate(con, n_cases: int) -> dict:
    """Grow the imported base (cases 1..B) to n_cases by copying its rows under new ids; copy k of
    case i becomes case i + k * B with reference '<reference>/k'. Recurring groups keep their id."""
    base = con.execute("SELECT count(*), max(case_id) FROM dhr_case").fetchone()
    if base[0] != base[1]:
        raise RuntimeError("replicate needs a database whose cases are numbered 1..n")
    n_base = base[0]
    if n_cases <= n_base:
        return {"copied_cases": 0, "seconds": 0.0, "facts_seconds": 0.0}
    steps = {col: con.execute(f"SELECT max({col}) FROM {table}").fetchone()[0] for col, table in ID_SOURCES.items()}
    copies = -(-n_cases // n_base)
    t0 = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    for table, columns in REPLICATED.items():
        moved = ", ".join(f"{c} + k * {steps[c]} AS {c}" for c in columns)
        extra = ", reference || '/' || k AS reference" if table == "dhr_case" else ""
        extra += ", sha256 || '/' || k AS sha256" if table == "plan_version" else ""
        con.execute(f"""
            INSERT INTO {table}
            SELECT {table}.* REPLACE ({moved}{extra}) FROM {table}, range(1, {copies}) AS copy(k)
            WHERE {table}.case_id <= {n_base} AND {table}.case_id + k * {n_base} <= {n_cases}""")
    con.execute("COMMIT")
    for column, table in ID_SOURCES.items():  # later imports must take ids above the copies
        sequence = "seq_case" if table == "dhr_case" else f"seq_{table}"
        top = con.execute(f"SELECT max({column}) FROM {table}").fetchone()[0]
        gap = top - con.execute(f"SELECT nextval('{sequence}')").fetchone()[0]
        if gap > 0:
            con.execute(f"SELECT max(nextval('{sequence}')) FROM range({gap})")
    copied = time.perf_counter() - t0
    return {"copied_cases": n_cases - n_base, "seconds": copied, "facts_seconds": rebuild_facts(con)}


def rebuild_facts(con) -> float:
    """The copies' fact tables, made by the product's own refresh (as an import would make them)."""
    from dhrlearn.store.facts import refresh_facts
    from dhrlearn.themes import refresh_recurring_facts

    t0 = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    refresh_facts(con)
    refresh_recurring_facts(con)
    con.execute("COMMIT")
    return time.perf_counter() - t0


def time_tagging(con, n_cases: int) -> dict:
    """Theme tagging alone over distinct stored texts with its memory of past answers emptied (copied
    cases repeat texts, which the tagger would otherwise answer from memory), then a full re-tag."""
    from dhrlearn.themes import reload_taxonomy, retag_all, tag_texts

    texts = [t for (t,) in con.execute(
        "SELECT DISTINCT t FROM (SELECT text AS t FROM recommendation UNION ALL SELECT text FROM action "
        f"UNION ALL SELECT update_text FROM action) WHERE t IS NOT NULL LIMIT {TAG_SAMPLE}").fetchall()]
    reload_taxonomy()
    t0 = time.perf_counter()
    tag_texts(texts)  # the bulk path of imports and re-tags: the theme model reads them together, on every core
    out = {"texts": len(texts), "tag_s": time.perf_counter() - t0}
    if n_cases <= RETAG_MAX:
        t0 = time.perf_counter()
        retag_all(con)
        out["retag_s"] = time.perf_counter() - t0
    return out


def query_params(con, names: list[str]) -> dict:
    """Values for every parameter the named queries declare: shared filters from Filters, the
    rest picked from the data (the largest case, its two latest versions, the biggest group); progress
    between dates over the quarter up to the as-of date, as the Since last meeting page opens."""
    from dhrlearn.filters import Filters

    params = Filters(as_of=AS_OF).params()
    case_id = con.execute(
        "SELECT case_id FROM action GROUP BY case_id ORDER BY count(*) DESC, case_id LIMIT 1").fetchone()[0]
    versions = [v for (v,) in con.execute(
        "SELECT plan_version_id FROM plan_version WHERE case_id = ? ORDER BY as_of_date DESC LIMIT 2",
        [case_id]).fetchall()]
    group = con.execute(
        "SELECT group_id FROM recurring_member GROUP BY group_id ORDER BY count(*) DESC LIMIT 1").fetchone()
    params.update({
        "case_id": case_id,
        "from_version": versions[-1],
        "to_version": versions[0],
        "group_id": group[0] if group else 1,
        "q": "training",
        "theme": "mental_health",
        "date_from": (pd.Timestamp(AS_OF) - pd.DateOffset(months=3)).date(),  # the quarter the page opens with
        "date_to": AS_OF,
        "limit": 1000,  # the rows a page asks for (ui.components.TABLE_ROWS); downloads pass None
        "fields": [],  # search: every field
    })
    return params


def declared_params(sql: str) -> list[str]:
    line = next((x for x in sql.splitlines() if x.startswith("-- params:")), "-- params:")
    return [p.strip() for p in line.split(":", 1)[1].split(",") if p.strip() and p.strip() != "(none)"]


REFERENCE_STEPS = 1_000_000


def reference_ms() -> float:
    """A fixed pure-Python loop, timed: how fast the machine itself ran while the queries were timed."""
    t0 = time.perf_counter()
    total = 0
    for i in range(REFERENCE_STEPS):
        total += i * i
    return 1000 * (time.perf_counter() - t0)


def time_queries(con, runs: int) -> tuple[dict, float]:
    """Each named query's median over `runs` runs after a warm-up, and the reference loop's median.

    The runs go round every query in turn: this machine has slow spells of a second or so (CPU time
    rises with wall time, so it is the host, not the query) and timed one query at a time, a spell lands
    on whichever query is running then. The reference loop, timed once a round, shows how fast the
    machine was over the whole run."""
    from dhrlearn import config
    from dhrlearn.store.db import query, query_text

    names = sorted(p.stem for p in config.QUERIES_DIR.glob("*.sql"))
    values = query_params(con, names)
    out, timed = {}, {}
    for name in names:
        wanted = declared_params(query_text(name))
        missing = [k for k in wanted if k not in values]
        if missing:
            out[name] = {"error": f"no value for {', '.join(missing)}"}
        else:
            timed[name] = {k: values[k] for k in wanted if k in values}
    times = {name: [] for name in timed}
    rows, reference = {}, []
    for round_ in range(runs + 1):  # round 0 is the warm-up
        reference.append(reference_ms())
        for name, params in timed.items():
            if name in out:
                continue
            try:
                t0 = time.perf_counter()
                rows[name] = len(query(con, name, **params))
                if round_:
                    times[name].append(time.perf_counter() - t0)
            except Exception as exc:  # one broken query must not hide the others' numbers
                out[name] = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"}
    for name in timed:
        if name not in out:
            out[name] = {"median_ms": 1000 * statistics.median(times[name]), "max_ms": 1000 * max(times[name]),
                         "rows": rows[name]}
    return dict(sorted(out.items())), statistics.median(reference[1:])


def time_queries_apart(db_path: Path, runs: int) -> tuple[dict, float, float]:
    """time_queries in a process of its own that only opens the database, as the dashboard's server does.

    Timed in the process that had just built the corpus (its heap grown to most of a gigabyte and
    fragmented), every query read 2-3 ms slower than the same query from a fresh process. Gives the
    figures, the reference loop and that process's peak memory."""
    done = subprocess.run([sys.executable, __file__, "--time-queries", str(db_path), "--runs", str(runs)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"timing the queries failed:\n{done.stderr[-3000:]}")
    timed = json.loads(done.stdout.strip().splitlines()[-1])
    return timed["queries"], timed["reference_ms"], timed["peak_mb"]


def discover_pages() -> list[str]:
    """The pages app.py navigates to: st.Page("pages/...") in app.py or the local modules it imports."""
    found: list[str] = []
    for path in [ROOT / "app.py", *_local_imports(ROOT / "app.py")]:
        for page in re.findall(r"st\.Page\(\s*[\"'](pages/[\w/]+\.py)[\"']", path.read_text()):
            if page not in found:
                found.append(page)
    return found


def _local_imports(path: Path) -> list[Path]:
    """Project files imported by `path`: `from ui import frame` -> ui/frame.py."""
    out = []
    for package, names in re.findall(r"^from\s+([\w.]+)\s+import\s+([\w, ]+)", path.read_text(), re.M):
        base = ROOT / package.replace(".", "/")
        for name in (n.strip() for n in names.split(",")):
            for candidate in (base / f"{name}.py", base.with_suffix(".py")):
                if candidate.exists() and candidate not in out:
                    out.append(candidate)
    return out


def time_pages(db_path: Path) -> dict:
    """Each page's first (uncached) run in AppTest, after app.py has opened the database once."""
    from streamlit.testing.v1 import AppTest

    os.environ["DHR_DB"] = str(db_path)
    out = {}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["as_of"] = AS_OF.isoformat()
    t0 = time.perf_counter()
    at.run()
    out["(app start, default page)"] = {"seconds": time.perf_counter() - t0, "errors": _errors(at)}
    for page in discover_pages():
        t0 = time.perf_counter()
        at.switch_page(page).run()
        out[page] = {"seconds": time.perf_counter() - t0, "errors": _errors(at)}
    return out


def _errors(at) -> str:
    return "; ".join(str(e.value)[:100] for e in at.exception)


# ---------------------------------------------------------------- pandas reference


def pandas_reference(con) -> dict:
    """Completion by agency, overdue by agency and theme prevalence in pandas, timed, and checked
    against the named queries on the same data."""
    from dhrlearn.filters import Filters
    from dhrlearn.store.db import query

    t0 = time.perf_counter()
    frames = {
        "pv": con.execute("SELECT case_id, plan_version_id, as_of_date, imported_at FROM plan_version").df(),
        "action": con.execute(
            "SELECT action_id, recommendation_id, plan_version_id, status, target_date FROM action").df(),
        "link": con.execute(
            "SELECT recommendation_id, action_id, role, agency_raw, agency FROM agency_link").df(),
        "theme": con.execute(
            "SELECT case_id, plan_version_id, theme FROM theme_match WHERE axis = 'topic'").df(),
    }
    load_s = time.perf_counter() - t0
    as_of = pd.Timestamp(AS_OF)

    t0 = time.perf_counter()
    completion, overdue = _pandas_agency_tables(frames, as_of)
    t1 = time.perf_counter()
    prevalence = _pandas_theme_prevalence(frames, as_of)
    t2 = time.perf_counter()

    params = Filters(as_of=AS_OF).params()
    compared = {
        "completion_by_agency": (completion, "agency", ["actions", "actions_complete", "overdue"]),
        "overdue_by_agency": (overdue, "agency", ["overdue", "days_0_90", "days_91_180", "days_181_365",
                                                  "over_a_year"]),
        "theme_prevalence": (prevalence, "theme", ["cases", "pct_cases"]),
    }
    checks = {}
    for name, (ours, key, columns) in compared.items():
        try:
            checks[name] = _same(ours, query(con, name, **params).set_index(key), columns)
        except Exception as exc:  # a query being changed while the benchmark runs
            checks[name] = f"SQL failed: {type(exc).__name__}: {str(exc).splitlines()[0][:100]}"
    return {"load_s": load_s, "agency_tables_s": t1 - t0, "theme_prevalence_s": t2 - t1, "checks": checks}


def _in_force(frames, as_of):
    """Each case's plan version in force at as_of (as the plan_in_force macro)."""
    pv = frames["pv"].copy()
    pv["version_date"] = pd.to_datetime(pv["as_of_date"]).fillna(pv["imported_at"].dt.normalize())
    pv = pv[pv["version_date"] <= as_of]
    pv = pv.sort_values(["case_id", "version_date", "imported_at", "plan_version_id"])
    return pv.groupby("case_id").tail(1)


def _pandas_agency_tables(frames, as_of):
    in_force = _in_force(frames, as_of)
    acts = frames["action"][frames["action"]["plan_version_id"].isin(in_force["plan_version_id"])].copy()
    target = pd.to_datetime(acts["target_date"])
    acts["complete"] = acts["status"].eq("complete")
    acts["overdue"] = (target < as_of) & ~acts["status"].isin(["complete", "closed_other"])
    acts["days"] = (as_of - target).dt.days.where(acts["overdue"])
    link = frames["link"]
    lead = link[(link["role"] == "lead") & link["action_id"].notna()][["action_id", "agency_raw", "agency"]]
    owner = link[(link["role"] == "owner") & link["action_id"].isna()][["recommendation_id", "agency_raw", "agency"]]
    owner = acts[~acts["action_id"].isin(lead["action_id"])][["action_id", "recommendation_id"]].merge(
        owner, on="recommendation_id")[["action_id", "agency_raw", "agency"]]
    named = pd.concat([lead, owner])
    named["label"] = named["agency"].fillna(named["agency_raw"])
    named = named[["action_id", "label"]].drop_duplicates()
    rows = acts.merge(named, on="action_id", how="left")
    rows["label"] = rows["label"].fillna("(no agency named)")
    completion = rows.groupby("label").agg(
        actions=("action_id", "size"), actions_complete=("complete", "sum"), overdue=("overdue", "sum"))
    late = rows[rows["overdue"]]
    overdue = late.groupby("label").agg(
        overdue=("action_id", "size"),
        days_0_90=("days", lambda d: int((d <= 90).sum())),
        days_91_180=("days", lambda d: int(d.between(91, 180).sum())),
        days_181_365=("days", lambda d: int(d.between(181, 365).sum())),
        over_a_year=("days", lambda d: int((d > 365).sum())),
    )
    return completion, overdue


def _pandas_theme_prevalence(frames, as_of):
    in_force = _in_force(frames, as_of)
    themes = frames["theme"].merge(in_force[["case_id", "plan_version_id"]], on=["case_id", "plan_version_id"])
    cases = themes.groupby("theme")["case_id"].nunique().rename("cases").to_frame()
    cases["pct_cases"] = (100.0 * cases["cases"] / in_force["case_id"].nunique()).round(1)
    return cases


def _same(ours, sql, columns) -> str:
    """'ok', or what differs, comparing pandas and SQL on the shared index and columns."""
    ours = ours.sort_index()[columns].astype(float)
    theirs = sql.sort_index()[columns].astype(float)
    if list(ours.index) != list(theirs.index):
        return f"different rows: {sorted(set(ours.index) ^ set(theirs.index))[:5]}"
    diff = (ours - theirs).abs().to_numpy().max() if len(ours) else 0.0
    return "ok" if diff < 0.051 else f"differs by up to {diff}"


# ---------------------------------------------------------------- one size, in its own process


def run_one(n_cases: int, runs: int, pages: bool, keep: Path | None, max_recommendations: int | None) -> dict:
    from dhrlearn.analytics import ensure_dhrd
    from dhrlearn.store.db import connect

    work = Path(tempfile.mkdtemp(prefix=f"dhr-bench-{n_cases}-"))
    db_path = work / "bench.duckdb"
    result: dict = {"cases": n_cases, "max_recommendations": max_recommendations, "memory_mb": {}}
    try:
        t0 = time.perf_counter()
        result["corpus"] = build_corpus(min(n_cases, BASE_CASES), work / "base", max_recommendations=max_recommendations)
        build_corpus(EXTRA_CASES, work / "extra", first=n_cases, seed=7, max_recommendations=max_recommendations)
        result["corpus"]["seconds"] = time.perf_counter() - t0
        result["memory_mb"]["corpus"] = peak_mb()

        con = connect(db_path)
        result["import"] = import_corpus(con, work / "base")
        result["memory_mb"]["import"] = peak_mb()
        result["replicate"] = replicate(con, n_cases)
        result["import_full"] = import_corpus(con, work / "extra")  # into the full-size database
        ensure_dhrd(con)  # national reference figures, loaded as the app does when it opens a database
        result["memory_mb"]["replicate + import"] = peak_mb()
        result["tagging"] = time_tagging(con, n_cases)
        result["memory_mb"]["tagging"] = peak_mb()
        result["tagging_process_mb"] = peak_child_mb()
        con.execute("CHECKPOINT")
        result["db_mb"] = db_path.stat().st_size / 1e6
        con.close()
        result["queries"], result["reference_ms"], result["query_process_mb"] = time_queries_apart(db_path, runs)
        con = connect(db_path)
        result["pandas"] = pandas_reference(con)
        result["memory_mb"]["pandas"] = peak_mb()
        result["counts"] = dict(zip(
            ("cases", "versions", "recommendations", "actions", "actions_in_force"),
            con.execute("SELECT (SELECT count(*) FROM dhr_case), (SELECT count(*) FROM plan_version), "
                        "(SELECT count(*) FROM recommendation), (SELECT count(*) FROM action), "
                        "(SELECT count(*) FROM action_fact WHERE plan_version_id IN "
                        " (SELECT plan_version_id FROM plan_in_force($as_of)))", {"as_of": AS_OF}).fetchone()))
        con.close()
        if pages:
            result["pages"] = time_pages(db_path)
            result["memory_mb"]["pages"] = peak_mb()
    finally:
        if keep and db_path.exists():
            keep.mkdir(parents=True, exist_ok=True)
            suffix = f"_r{max_recommendations}" if max_recommendations else ""
            shutil.copy(db_path, keep / f"bench_{n_cases}{suffix}.duckdb")
        shutil.rmtree(work, ignore_errors=True)
    return result


# ---------------------------------------------------------------- report


def machine() -> dict:
    import duckdb
    import pandas
    import streamlit

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024**2, 1),
        "os": platform.platform(), "python": platform.python_version(), "duckdb": duckdb.__version__,
        "pandas": pandas.__version__, "streamlit": streamlit.__version__,
        "load_average": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def flag(value: float, target: float, higher_is_better: bool = False) -> str:
    ok = value >= target if higher_is_better else value <= target
    return "" if ok else " **(over target)**" if not higher_is_better else " **(under target)**"


def rate(stage: dict) -> float:
    return stage["actions"] / stage["import_s"] if stage["import_s"] else 0.0


def report(results: list[dict], info: dict, started: str, finished_load: str) -> str:
    sizes = [r["cases"] for r in results]
    cap = results[0].get("max_recommendations")
    cap_option = f" --max-recommendations {cap}" if cap else ""
    cap_note = [f"Each generated plan keeps its first {cap} recommendations, so the corpus is at the analytics "
                "targets' scale (10,000 cases, about 150,000 actions).", ""] if cap else [
                "Plans as generated: heavier than the analytics targets' scale (10,000 cases, about 150,000 "
                "actions); see bench/RESULTS_150k_actions.md for that scale.", ""]
    if max(sizes) > 10_000:
        cap_note[-1:-1] = ["The targets are set at 10,000 cases; larger sizes show how the same work scales, marked "
                           "against the same targets."]
    head = "| | " + " | ".join(f"{n:,} cases" for n in sizes) + " |\n|---|" + "---:|" * len(sizes)

    def row(label, fn):
        cells = []
        for r in results:
            try:
                cells.append(fn(r))
            except (KeyError, TypeError):
                cells.append("-")
        return f"| {label} | " + " | ".join(cells) + " |"

    lines = [
        "# Benchmark results", "",
        f"Run {started} with `.venv/bin/python bench/run.py --sizes {','.join(map(str, sizes))}{cap_option}`.", "",
        *cap_note,
        "## Machine", "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; memory {info['memory_gb']} GB; {info['os']}",
        f"- Python {info['python']}, duckdb {info['duckdb']}, pandas {info['pandas']}, streamlit {info['streamlit']}",
        f"- Load average (1/5/15 min) at start: {info['load_average']}; at end: {finished_load}. "
        "Other work on the machine at the same time slows every figure below.",
        "",
        "## Corpus, import, tagging, size, memory", "",
        head,
        row("plan versions / recommendations / actions stored",
            lambda r: f"{r['counts']['versions']:,} / {r['counts']['recommendations']:,} / {r['counts']['actions']:,}"),
        row(f"actions in the plans in force at {AS_OF:%d/%m/%Y}", lambda r: f"{r['counts']['actions_in_force']:,}"),
        row("imported through the CSV path: cases / actions / files",
            lambda r: f"{min(r['cases'], BASE_CASES):,} / {r['import']['actions']:,} / {r['corpus']['files']}"),
        row("cases added by copying stored rows", lambda r: f"{r['replicate']['copied_cases']:,} in {r['replicate']['seconds']:.1f} s"),
        row("fact tables rebuilt for every case (refresh_facts)", lambda r: f"{r['replicate'].get('facts_seconds', 0.0):.1f} s"),
        row("**CSV import, actions/s** (target > 20,000)", lambda r: f"**{rate(r['import']):,.0f}**"
            + flag(rate(r['import']), TARGETS['import_actions_per_s'], True)),
        row("import time: parse + normalise / store + tag", lambda r: f"{r['import']['parse_s']:.1f} s / {r['import']['commit_s']:.1f} s"),
        row("parse + normalise alone, actions/s", lambda r: f"{r['import']['actions'] / r['import']['parse_s']:,.0f}"),
        row(f"CSV import of {EXTRA_CASES} more cases into the full database: seconds a file (actions/s)",
            # A file here holds one to three small cases, so the time per file (store, tag, refresh the
            # facts) says more than actions/s, which counts that fixed cost against a few dozen actions.
            lambda r: f"{r['import_full']['import_s'] / r['import_full']['files']:.2f} s "
                      f"({r['import_full']['files']} files; {rate(r['import_full']):,.0f} actions/s)"),
        row("theme tagging (tag_texts on every core, distinct texts, nothing remembered), texts/s", lambda r: f"{r['tagging']['texts'] / r['tagging']['tag_s']:,.0f}"),
        row("full re-tag (themes, uptake, recurring)", lambda r: f"{r['tagging']['retag_s']:.1f} s"),
        row("database size", lambda r: f"{r['db_mb']:.0f} MB"),
    ]
    for stage in ("corpus", "import", "replicate + import", "tagging", "pandas", "pages"):
        lines.append(row(f"peak memory after {stage} (target < 1 GB)",
                         lambda r, s=stage: f"{r['memory_mb'][s]:,.0f} MB" + flag(r['memory_mb'][s], TARGETS['peak_mb'])))
    lines.append(row("peak memory of a tagging process (forked from the one above, sharing most of its pages)",
                     lambda r: f"{r['tagging_process_mb']:,.0f} MB" if r.get("tagging_process_mb")
                     else "none started (fewer distinct texts than tag_texts shares out)"))
    lines.append(row("peak memory of the process timing the queries (it opens the database, as the dashboard does)",
                     lambda r: f"{r['query_process_mb']:,.0f} MB" + flag(r['query_process_mb'], TARGETS['peak_mb'])))
    names = sorted({n for r in results for n in r.get("queries", {})})
    lines += ["", "## Named queries: median latency of the runs after a warm-up (target < 50 ms)", "",
              f"The machine's speed varies: a fixed loop of {REFERENCE_STEPS:,} Python steps, timed once a round "
              "between the queries, is given first. Quiet, it takes about 55 ms here; in a slow spell, 80 ms or "
              "more, and every query is slower with it.", "", head,
              row("reference loop (the machine, not a query)", lambda r: f"{r['reference_ms']:.0f} ms")]
    for name in names:
        def cell(r, name=name):
            q = r["queries"][name]
            if "error" in q:
                return f"error: {q['error']}"
            return f"{q['median_ms']:.1f} ms" + flag(q["median_ms"], TARGETS["query_ms"])
        lines.append(row(f"`{name}`", cell))
    lines += ["", "## Pandas reference on the same data (checked equal to the SQL)", "", head,
              row("load tables into pandas", lambda r: f"{r['pandas']['load_s'] * 1000:.0f} ms"),
              row("completion + overdue by agency", lambda r: f"{r['pandas']['agency_tables_s'] * 1000:.0f} ms"),
              row("theme prevalence", lambda r: f"{r['pandas']['theme_prevalence_s'] * 1000:.0f} ms"),
              row("SQL `completion_by_agency` / `overdue_by_agency` / `theme_prevalence`",
                  lambda r: " / ".join(f"{r['queries'][q]['median_ms']:.0f} ms" for q in
                                       ("completion_by_agency", "overdue_by_agency", "theme_prevalence"))),
              row("pandas equals SQL",
                  lambda r: "; ".join(f"{k}: {v}" for k, v in r["pandas"]["checks"].items()))]
    page_names = sorted({n for r in results for n in r.get("pages", {})})
    if page_names:
        lines += ["", "## Pages: first (uncached) AppTest run (target < 1 s)", "", head]
        for name in page_names:
            def pcell(r, name=name):
                p = r["pages"][name]
                return f"{p['seconds']:.2f} s" + flag(p["seconds"], TARGETS["page_s"]) + (
                    f" error: {p['errors']}" if p["errors"] else "")
            lines.append(row(f"`{name}`", pcell))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000", help="case counts, comma-separated")
    parser.add_argument("--runs", type=int, default=21, help="timed runs per query (median reported; the machine swings 15%% between runs a minute apart)")
    parser.add_argument("--no-pages", action="store_true", help="skip the AppTest page timings")
    parser.add_argument("--keep", type=Path, help="copy each benchmark database into this folder")
    parser.add_argument("--max-recommendations", type=int,
                        help="keep each generated plan's first N recommendations (10: the targets' scale)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size, print JSON
    parser.add_argument("--time-queries", type=Path, help=argparse.SUPPRESS)  # internal: time one database's queries
    args = parser.parse_args()

    if args.time_queries:
        from dhrlearn.store.db import connect

        queries, reference = time_queries(connect(args.time_queries), args.runs)
        print(json.dumps({"queries": queries, "reference_ms": reference, "peak_mb": own_peak_mb()}, default=str))
        return 0

    if args.one:
        print(json.dumps(run_one(args.one, args.runs, not args.no_pages, args.keep, args.max_recommendations),
                         default=str))
        return 0

    info = machine()
    started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"--- {size:,} cases", flush=True)
        command = [sys.executable, __file__, "--one", str(size), "--runs", str(args.runs)]
        command += ["--no-pages"] if args.no_pages else []
        command += ["--keep", str(args.keep)] if args.keep else []
        command += ["--max-recommendations", str(args.max_recommendations)] if args.max_recommendations else []
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return 1
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        text = report(results, info, started, " / ".join(f"{x:.1f}" for x in os.getloadavg()))
        print(text)
        args.out.write_text(text)
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
