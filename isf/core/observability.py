"""Request ids, one-line logs and the health answer (issue 25).

- :class:`RequestIdMiddleware` (first in the chain) gives every request an id: the proxy's ``X-Request-ID`` when it
  is a plain token, else a new one. Log lines written while the request runs carry it, and the response returns it
  in ``X-Request-ID``, so a user's report ("it failed at 10:02") leads to the log line.
- :class:`OneLineFormatter` / :class:`JsonLineFormatter` (``ISF_LOG_FORMAT=json``): one line per event with time,
  level, logger and request id; a traceback is folded into the line (text) or a field (JSON). Django's security
  loggers (a wrong Host header, a bad signature) log their one message without a traceback.
- :class:`HealthMiddleware` answers ``/health/`` before sessions, log-in, host checks and HTTPS redirects run, so a
  load balancer or systemd probe on the internal address gets 200 only while the database answers, else 503 naming
  the failed check (isf.core.ops.health_checks).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.http import HttpResponseNotAllowed, JsonResponse

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("isf_request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
HEALTH_PATH = "/health/"


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex[:16]
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response.headers["X-Request-ID"] = request_id
        return response


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        from isf.core.ops import health_checks

        checks = health_checks()
        failed = [name for name, value in checks.items() if value != "ok"]
        body = {"status": "fail" if failed else "ok", "checks": checks}
        if failed:
            body["failed"] = failed
            logging.getLogger("isf.health").warning("health check failed: %s", ", ".join(
                f"{name} {checks[name]}" for name in failed))
        response = JsonResponse(body, status=503 if failed else 200)
        response.headers["Cache-Control"] = "no-store"
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record; drops the traceback of Django's security messages (one line each)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        if record.name.startswith("django.security"):
            record.exc_info = None
            record.exc_text = None
        return True


def _time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _one_line(text: str) -> str:
    return " | ".join(part for part in text.splitlines() if part.strip())


class OneLineFormatter(logging.Formatter):
    """``2026-12-07T18:10:00.123Z WARNING django.request [3f2a…] message | traceback folded``"""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            message = f"{message} | {record.exc_text}"
        return (f"{_time(record)} {record.levelname} {record.name} "
                f"[{getattr(record, 'request_id', '-')}] {_one_line(message)}")


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request_id, message (and exc with the traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        data = {"time": _time(record), "level": record.levelname, "logger": record.name,
                "request_id": getattr(record, "request_id", "-"), "message": record.getMessage()}
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            data["exc"] = record.exc_text
        return json.dumps(data, ensure_ascii=False, default=str)
