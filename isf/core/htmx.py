"""One URL serves the page and its fragment: htmx requests get the named partial."""

from django.shortcuts import render


def render_page_or_partial(request, template: str, context: dict, partial: str):
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)
