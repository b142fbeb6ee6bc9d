from django.contrib import messages


def error(request, exc) -> None:
    messages.error(request, str(exc))


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else field
        messages.error(request, f"{label}: {' '.join(errors)}")
