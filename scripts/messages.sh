#!/usr/bin/env bash
# Refresh the German catalogs (needs GNU gettext): one per app under isf/<app>/locale, and the
# root catalog (locale/) for config/, templates/ and the apps core and org.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" DJANGO_SETTINGS_MODULE=config.settings
ADMIN="$PWD/.venv/bin/django-admin"
for app in isf/*/; do
  app=${app%/}; name=$(basename "$app")
  case "$name" in core|org|__pycache__) continue;; esac
  if grep -rqlE "gettext|translate|trans " "$app" --include=*.py --include=*.html 2>/dev/null; then
    mkdir -p "$app/locale"
    (cd "$app" && "$ADMIN" makemessages -l de --no-obsolete -v 0)
  fi
done
ignores=()
for app in isf/*/; do
  name=$(basename "${app%/}")
  case "$name" in core|org) ;; *) ignores+=(--ignore="isf/$name/*");; esac
done
mkdir -p locale
"$ADMIN" makemessages -l de --no-obsolete -v 0 --ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*' \
  --ignore='bench/*' --ignore='isf_stats/*' --ignore='tests/*' "${ignores[@]}"
.venv/bin/python scripts/compile_messages.py
