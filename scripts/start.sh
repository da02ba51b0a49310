#!/usr/bin/env bash
# Set up (if needed), build the demo database on first run, start the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m dhrlearn demo --if-missing
exec .venv/bin/streamlit run app.py --server.headless true "$@"
