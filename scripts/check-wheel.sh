#!/usr/bin/env bash
# Build the wheel with the project's build backend, install it into a throw-away virtualenv (away from the
# checkout) and check that the installed `isf` runs with its German messages, templates and static files.
#   bash scripts/check-wheel.sh [PYTHON]     (PYTHON: an interpreter whose environment has the dependencies;
#                                             default .venv/bin/python - the wheel itself is installed --no-deps)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${1:-$ROOT/.venv/bin/python}
WORK=$(mktemp -d /tmp/isf-wheel.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$PY" -m pip wheel "$ROOT" --no-deps -q -w "$WORK/dist"
rm -rf "$ROOT/build"
"$PY" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q --no-deps "$WORK"/dist/isf-*.whl
DEPS=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
cd "$WORK"  # nothing of the checkout on the path: only the installed package
export PYTHONPATH="$DEPS" ISF_DATA_DIR="$WORK/data" DJANGO_SETTINGS_MODULE=config.settings
"$WORK/venv/bin/isf" check
"$WORK/venv/bin/python" - <<'PY'
import django
django.setup()
import config, isf
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext

assert "/venv/" in isf.__file__ and "/venv/" in config.__file__, (isf.__file__, config.__file__)
with translation.override("de"):
    app = gettext("Choose a file.")  # isf/imports catalog
    shared = gettext("Log in")  # root catalog (config/share/locale)
assert app == "Bitte wählen Sie eine Datei.", app
assert shared != "Log in", shared
for template in ("base.html", "imports/upload.html"):
    get_template(template)
for static in ("css/isf.css", "vendor/pico/pico.min.css", "vendor/chartjs/chart.umd.min.js"):
    assert finders.find(static), static
print(f"installed isf OK: {isf.__file__}; de: {app!r}, {shared!r}; templates and static files found")
PY
