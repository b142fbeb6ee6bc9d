"""Writes on care matrices: validated all-or-nothing saves and the default content per segment."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.translation import gettext as _

from isf.core.text import model_text_problem
from isf.lifecycle.choices import Phase
from isf.planning.choices import ACTIVITY_KINDS, Channel, Side, TriggerEvent
from isf.planning.matrix_defaults import DEFAULTS
from isf.planning.models import CareActivity, CareMatrix
from isf.planning.models.matrix import MAX_PER_YEAR

TEXT_FIELDS = ["inside_concept", "field_concept", "strategy", "other_measures"]


class MatrixError(Exception):
    """A refused matrix change: `field` names the input, `row` the activity (1-based) if any."""

    def __init__(self, message: str, field: str = "", row: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.row = row

    def __str__(self) -> str:
        from isf.planning.models import CareActivity, CareMatrix

        label = self.field
        for model in (CareActivity, CareMatrix):
            try:
                label = str(model._meta.get_field(self.field).verbose_name)
                break
            except FieldDoesNotExist:
                continue
        where = (_("row %(n)s") % {"n": self.row} + ", ") if self.row else ""
        return f"{where}{label}: {self.message}" if self.field else self.message


def _int_or_none(value, field: str, row: int | None = None) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise MatrixError(_("must be a whole number"), field, row) from None
    return number


def parse_classes(value) -> list[list]:
    """'A: 40000, B: 15000, C: 0' (or a list of pairs) → [["A", 40000], ["B", 15000], ["C", 0]], highest first."""
    if not value:
        return []
    if isinstance(value, str):
        pairs = []
        for part in value.replace(";", ",").split(","):
            if not part.strip():
                continue
            if ":" not in part and "≥" not in part:
                raise MatrixError(_("'%(part)s' is not CODE: MINIMUM") % {"part": part.strip()}, "potential_classes")
            code, _sep, minimum = part.replace("≥", ":").partition(":")
            pairs.append((code.strip(), minimum.strip().replace(".", "")))
    else:
        pairs = list(value)
    classes = []
    for code, minimum in pairs:
        if not code or len(code) > 5:
            raise MatrixError(_("each class needs a short code (up to 5 characters)"), "potential_classes")
        try:
            amount = Decimal(str(minimum))
        except InvalidOperation:
            raise MatrixError(_("minimum of class %(code)s is not a number") % {"code": code}, "potential_classes") from None
        if amount < 0:
            raise MatrixError(_("minimum of class %(code)s must not be negative") % {"code": code}, "potential_classes")
        classes.append([code, int(amount)])
    codes = [c for c, _m in classes]
    if len(set(codes)) != len(codes):
        raise MatrixError(_("class codes must be unique"), "potential_classes")
    classes.sort(key=lambda pair: -pair[1])
    if classes and classes[-1][1] != 0:
        raise MatrixError(_("the lowest class must start at 0"), "potential_classes")
    return classes


def parse_visits(value, class_codes: list[str], row: int | None = None) -> dict:
    """'A: 6, B: 4, C: 2' (or a dict) → {"A": 6, "B": 4, "C": 2}; codes must be defined classes."""
    if not value:
        return {}
    items = value.items() if isinstance(value, dict) else (
        part.split(":", 1) if ":" in part else (part, "") for part in str(value).split(",") if part.strip()
    )
    visits = {}
    for code, n in items:
        code = str(code).strip()
        if code not in class_codes:
            raise MatrixError(
                _("potential class %(code)s is not defined for this segment") % {"code": code}, "visits_by_class", row
            )
        number = _int_or_none(n, "visits_by_class", row)
        if number is None or not 0 <= number <= MAX_PER_YEAR:
            raise MatrixError(
                _("visits for class %(code)s must be between 0 and %(max)s") % {"code": code, "max": MAX_PER_YEAR},
                "visits_by_class",
                row,
            )
        visits[code] = number
    return visits


def clean_activity(data: dict, *, class_codes: list[str], row: int | None = None) -> dict:
    """Check one matrix entry; returns the cleaned values or raises MatrixError naming the field."""
    activity = data.get("activity") or ""
    if activity not in [k.value for k in ACTIVITY_KINDS]:
        raise MatrixError(_("unknown activity type %(value)r") % {"value": activity}, "activity", row)
    title_de = (data.get("title_de") or "").strip()
    if not title_de:
        raise MatrixError(_("a description is required"), "title_de", row)
    side = data.get("side") or Side.INSIDE
    if side not in Side.values:
        raise MatrixError(_("unknown side %(value)r") % {"value": side}, "side", row)
    channel = data.get("channel") or Channel.PHONE
    if channel not in Channel.values:
        raise MatrixError(_("unknown channel %(value)r") % {"value": channel}, "channel", row)
    phases = data.get("phases") or []
    if isinstance(phases, str):
        phases = [p.strip() for p in phases.split(",") if p.strip()]
    if not phases:
        raise MatrixError(_("choose at least one lifecycle phase"), "phases", row)
    for phase in phases:
        if phase not in Phase.values:
            raise MatrixError(_("unknown lifecycle phase %(value)r") % {"value": phase}, "phases", row)
    frequency = _int_or_none(data.get("frequency_per_year"), "frequency_per_year", row)
    if frequency is not None and not 0 <= frequency <= MAX_PER_YEAR:
        raise MatrixError(_("must be between 0 and %(max)s") % {"max": MAX_PER_YEAR}, "frequency_per_year", row)
    offset = _int_or_none(data.get("offset_days"), "offset_days", row)
    if offset is not None and not 0 <= offset <= MAX_PER_YEAR:
        raise MatrixError(_("must be between 0 and %(max)s") % {"max": MAX_PER_YEAR}, "offset_days", row)
    event = data.get("trigger_event") or ""
    if event and event not in TriggerEvent.values:
        raise MatrixError(_("unknown trigger event %(value)r") % {"value": event}, "trigger_event", row)
    if offset is not None and not event:
        raise MatrixError(_("a trigger needs a lifecycle event"), "trigger_event", row)
    visits = parse_visits(data.get("visits_by_class"), class_codes, row)
    modes = sum([frequency is not None, bool(visits), bool(event)])
    if modes == 0:
        raise MatrixError(
            _("give a frequency per year, visits per potential class or a trigger"), "frequency_per_year", row
        )
    if modes > 1:
        raise MatrixError(
            _("either a frequency, visits per class or a trigger, not several"), "frequency_per_year", row
        )
    return {
        "activity": activity,
        "title_de": title_de[:200],
        "title_en": (data.get("title_en") or "").strip()[:200],
        "side": side,
        "channel": channel,
        "frequency_per_year": frequency,
        "visits_by_class": visits,
        "trigger_event": event,
        "offset_days": (offset or 0) if event else None,
        "phases": ",".join(p for p in Phase.values if p in phases),
    }


def care_matrix_preview(*, segment, potential_classes, activities: list[dict]) -> tuple[list, list[CareActivity]]:
    """An edited matrix checked like a save but not written: (classes, unsaved activities) for a what-if.

    Raises MatrixError naming the field, exactly as `care_matrix_save` would.
    """
    matrix = CareMatrix.objects.filter(segment=segment).first() or CareMatrix(segment=segment)
    classes = parse_classes(potential_classes) if potential_classes is not None else matrix.potential_classes
    codes = [code for code, _m in classes]
    cleaned = [clean_activity(a, class_codes=codes, row=i) for i, a in enumerate(activities, 1)]
    return classes, [CareActivity(matrix=matrix, **values) for values in cleaned]


@transaction.atomic
def care_matrix_save(
    *,
    segment,
    texts: dict | None = None,
    potential_classes=None,
    call_counts_as_visit: bool | None = None,
    activities: list[dict] | None = None,
    actor=None,
) -> CareMatrix:
    """Save a segment's matrix: texts, classes, flag and the full list of activities (replacing the old list).

    Everything is checked before anything is written; an error raises MatrixError and saves nothing.
    Activities with an "id" of an existing entry are updated (history kept), others created, missing ones deleted.
    """
    matrix = CareMatrix.objects.filter(segment=segment).first() or CareMatrix(segment=segment)
    classes = parse_classes(potential_classes) if potential_classes is not None else matrix.potential_classes
    codes = [code for code, _m in classes]
    cleaned = None
    if activities is not None:
        cleaned = [(a.get("id"), clean_activity(a, class_codes=codes, row=i)) for i, a in enumerate(activities, 1)]
    elif potential_classes is not None and matrix.pk:
        for i, act in enumerate(matrix.activities.all(), 1):
            parse_visits(act.visits_by_class, codes, i)
    for field in TEXT_FIELDS:
        if texts and field in texts:
            value = (texts[field] or "").strip()
            if (problem := model_text_problem(CareMatrix, field, value)) is not None:
                raise MatrixError(f"{field}: {problem}", field)  # noqa: INT001 - the problem text is English
            setattr(matrix, field, value)
    matrix.potential_classes = classes
    if call_counts_as_visit is not None:
        matrix.call_counts_as_visit = bool(call_counts_as_visit)
    if actor is not None:
        matrix._history_user = actor
    matrix.save()
    if cleaned is not None:
        existing = {a.pk: a for a in matrix.activities.all()}
        keep = set()
        for position, (pk, values) in enumerate(cleaned, 1):
            act = existing.get(int(pk)) if pk else None
            act = act or CareActivity(matrix=matrix)
            for field, value in values.items():
                setattr(act, field, value)
            act.position = position
            if actor is not None:
                act._history_user = actor
            act.save()
            keep.add(act.pk)
        for pk, act in existing.items():
            if pk not in keep:
                if actor is not None:
                    act._history_user = actor
                act.delete()
    return matrix


def care_matrix_defaults(*, segment, replace: bool = False) -> CareMatrix | None:
    """Give a segment its default matrix (SMB: the seed's matrix). Keeps an existing matrix unless replace."""
    content = DEFAULTS.get(segment.code)
    if content is None:
        return None
    if CareMatrix.objects.filter(segment=segment).exists() and not replace:
        return CareMatrix.objects.get(segment=segment)
    return care_matrix_save(
        segment=segment,
        texts={f: content.get(f, "") for f in TEXT_FIELDS},
        potential_classes=content.get("classes", []),
        call_counts_as_visit=content.get("call_counts_as_visit", False),
        activities=content["activities"],
    )


def care_matrices_load_defaults(*, replace: bool = False) -> int:
    """Default matrices for every segment that has default content; returns how many exist afterwards."""
    from isf.segmentation.models import Segment

    done = 0
    for segment in Segment.objects.all():
        if care_matrix_defaults(segment=segment, replace=replace) is not None:
            done += 1
    return done
