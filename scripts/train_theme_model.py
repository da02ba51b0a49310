"""Train the theme model (data/reference/theme_model.npz) from the hand-labelled texts.

    .venv/bin/python scripts/train_theme_model.py

Learns from every split of tests/data/labelled_themes.csv except the held-out ones (holdout*), which
stay unseen so that bench/bench_tagging.py can say how the tagger does on new text. Deterministic: the
same labels give the same model, and a test checks the shipped file against them. Re-tag stored plans
afterwards (`python -m dhrlearn retag`); the dashboard says when that is due.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dhrlearn.theme_model import MODEL_FILE, save, train  # noqa: E402
from dhrlearn.themes import taxonomy  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "labelled_themes.csv"


def training_rows(path: Path = LABELLED) -> list[dict]:
    """The labelled rows the model learns from: every split but the held-out ones."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return [row for row in rows if not row["split"].startswith("holdout")]


def topics(cell: str) -> set[str]:
    return {t.strip() for t in cell.split(";") if t.strip()}


def trained_model():
    rows = training_rows()
    return train([row["text"] for row in rows], [topics(row["topics"]) for row in rows], taxonomy().topic_themes())


if __name__ == "__main__":
    model = trained_model()
    save(model, MODEL_FILE)
    print(f"{MODEL_FILE.relative_to(ROOT)}: {len(model.themes)} themes, {len(model.words):,} words and word pairs, "
          f"from {len(training_rows()):,} labelled texts")
