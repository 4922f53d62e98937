#!/bin/sh
# Every benchmark of bench/ at its default (full) size, one after the other, then
# one summary: each script's exit status, its time, and the end of its output,
# where it states its figures against its target. Full output in the log folder.
#
#   bench/run_all.sh [--quick] [name ...]
#
# Names (photo_pipeline, search_scale, …) run only those benches.
#
# BENCH_PG        PostgreSQL server for the benches that make a throwaway test_…
#                 database (default postgres://postgres@127.0.0.1:5432/portal_bench)
# BENCH_SEARCH_PG the same for search_scale.py, whose million articles are kept
#                 as test_<name> between full runs, apart from the throwaway ones
#                 (default postgres://postgres@127.0.0.1:5432/portal_search)
# BENCH_SCALE_DB  the database `manage.py generate_scale` filled, read only
#                 (default postgres://postgres@127.0.0.1:5432/portal_scale)
# BENCH_LOG       where the logs go (default /tmp/portal-bench-<date-time>)
#
# --quick: smaller sizes (search at 100,000 articles, the county dashboard at
# 20,000 reports) to check that everything runs; the figures bench/README.md
# gives are those of a full run. A full run keeps the search corpus for the next one
# (search_scale.py --keep): the first spends about 40 minutes building a
# million articles.
set -u
cd "$(dirname "$0")/.." || exit 1
PY=.venv/bin/python
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/portal_bench}
SEARCH=${BENCH_SEARCH_PG:-postgres://postgres@127.0.0.1:5432/portal_search}
SCALE=${BENCH_SCALE_DB:-postgres://postgres@127.0.0.1:5432/portal_scale}
LOG=${BENCH_LOG:-${TMPDIR:-/tmp}/portal-bench-$(date +%Y%m%d-%H%M%S)}
ARTICLES=1000000
REPORTS=100000
KEEP=--keep
if [ "${1:-}" = "--quick" ]; then
    ARTICLES=100000
    REPORTS=20000
    KEEP=
    SEARCH=$PG  # a throwaway corpus: the kept million stay as they are
    shift
fi
ONLY=" $* "
mkdir -p "$LOG"
: > "$LOG/summary.txt"

run() {
    name=$1
    shift
    if [ "$ONLY" != "  " ] && [ "${ONLY#* "$name" }" = "$ONLY" ]; then
        return
    fi
    started=$(date +%s)
    "$@" > "$LOG/$name.log" 2>&1
    status=$?
    seconds=$(($(date +%s) - started))
    {
        printf '%-20s exit %s, %s s\n' "$name" "$status" "$seconds"
        # Every bench ends with its figures and targets.
        tail -n 10 "$LOG/$name.log" | sed 's/^/    /'
    } >> "$LOG/summary.txt"
    echo "done: $name (exit $status, $seconds s)"
}

run photo_pipeline $PY bench/photo_pipeline.py
# Needs LibreOffice (soffice) to print its PDF.
run pdf_import $PY bench/pdf_import.py
run beneficiary_import env DATABASE_URL="$PG" $PY bench/beneficiary_import.py
run job_import env DATABASE_URL="$PG" $PY bench/job_import.py
run stats_dashboard env DATABASE_URL="$PG" $PY bench/stats_dashboard.py --reports "$REPORTS"
run public_pages $PY bench/public_pages.py
run public_pages_scale $PY bench/public_pages.py --existing "$SCALE"
# Needs Debian's wrk and ../shared/floor beside the project.
run floor $PY bench/floor.py
run search_index env DATABASE_URL="$PG" $PY bench/search_index.py
run search_scale env DATABASE_URL="$SEARCH" $PY bench/search_scale.py --articles "$ARTICLES" $KEEP
run scale_staff $PY bench/scale_staff.py --database-url "$SCALE"
# Needs LibreOffice, poppler-utils, tesseract-ocr(-chi-sim) and rapidfuzz.
run ocr_accuracy $PY bench/ocr_accuracy.py

echo
echo "summary (logs in $LOG):"
cat "$LOG/summary.txt"
