#!/usr/bin/env bash
# Run every benchmark in bench/ (each writes bench/results/<name>.json).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for script in bench/*.py; do
  case "$(basename "$script")" in _*|reader_throughput.py) continue;; esac
  echo "== $script"
  .venv/bin/python "$script" || status=1
done
exit $status
