"""The job page of a call-volume file: the stored preview (isf.capacity.volumepreview) in the page's language."""

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from isf.capacity.volumepreview import FIELDS, LABELS, REQUIRED
from isf.core.dates import format_datetime
from isf.core.numbers import format_number
from isf.imports.models import ImportJob
from isf.imports.wording import reason

DELIMITERS = {"semicolon": gettext_lazy("semicolon-separated"), "comma": gettext_lazy("comma-separated"),
              "tab": gettext_lazy("tab-separated")}


def call_volume_preview_context(job: ImportJob) -> dict:
    """Teams to choose, the recognised (or chosen) column of every figure, and the first rows as read."""
    from isf.org.models import Team

    stored = job.preview or {}
    context = {"teams": Team.objects.order_by("name"), "timezone": (job.options or {}).get("timezone", "")}
    if not stored.get("ready"):
        return {**context, "volume_pending": True}
    if stored.get("error"):
        return {**context, "file_error": reason(stored["error"])}
    mapping = stored.get("mapping", {})
    context["volume_fields"] = [{"name": f, "label": LABELS[f], "chosen": mapping.get(f, ""),
                                 "required": f in REQUIRED} for f in FIELDS]
    context["volume_header"] = stored.get("header", [])
    context["volume_missing"] = [str(LABELS[f]) for f in stored.get("missing", [])]
    context["format"] = _("CSV, %(delimiter)s") % {"delimiter": DELIMITERS.get(stored.get("delimiter"), "")}
    shown = [f for f in ("calls", "answered", "abandoned", "aht") if f in mapping]
    context["volume_columns"] = [LABELS[f] for f in shown]
    context["volume_sample"] = [
        {"row": r["row"],
         "start": format_datetime(datetime.fromisoformat(r["start"])) if r.get("start") else "",
         "start_error": reason(r["start_error"]) if r.get("start_error") else "", "start_raw": r.get("start_raw", ""),
         "cells": [{"value": "–" if c["value"] is None else format_number(c["value"], 0), "label": LABELS[c["field"]],
                    "error": reason(c["error"]) if c["error"] else "", "raw": c["raw"]} for c in r["cells"]]}
        for r in stored.get("rows", [])]
    return context
