from django.http import HttpResponseBadRequest
from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    """400 with the reason (an invalid query parameter says which and why; see isf/core/params.py)."""
    message = getattr(exception, "message", "") or ""
    if not request.accepts("text/html"):
        return HttpResponseBadRequest(message or "Bad Request", content_type="text/plain; charset=utf-8")
    return render(request, "400.html", {"message": message}, status=400)


def operations(request):
    """The operator page (administrators): health, queue, stale jobs, workers, the last nightly run."""
    from isf.core.ops import ops_status

    status = ops_status()
    healthy = all(value == "ok" for value in status["checks"].values())
    return render(request, "core/operations.html", {"status": status, "healthy": healthy},
                  status=200 if healthy else 503)
