"""What an operator watches (issue 25): /health/, request ids, one-line logs, the operator page, `isf status`."""

import json
import logging
import os
import subprocess
import sys
from datetime import date, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from isf.core.models import NightlyRun, WorkerHeartbeat
from isf.core.observability import JsonLineFormatter, OneLineFormatter, RequestIdFilter
from isf.org.choices import Role
from isf.org.models import User
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = "2027-05-04 10:00:00+02:00"


def _broken_cursor(*args, **kwargs):
    raise OperationalError("connection to server on socket failed: No such file or directory")


def test_health_answers_200_naming_the_database_check_without_log_in(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert response["Cache-Control"] == "no-store"


def test_health_answers_503_naming_the_failed_check_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr("isf.core.ops.connection.cursor", _broken_cursor)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "fail: OperationalError"},
                               "failed": ["database"]}


def test_health_is_answered_for_any_host_and_refuses_writes(client):
    assert client.get("/health/", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.post("/health/").status_code == 405


def test_every_response_carries_a_request_id_and_a_proxys_id_is_kept(client):
    own = client.get("/login/")["X-Request-ID"]
    assert len(own) == 16 and all(c in "0123456789abcdef" for c in own)
    assert client.get("/login/", HTTP_X_REQUEST_ID="nginx-7f3a.1")["X-Request-ID"] == "nginx-7f3a.1"
    replaced = client.get("/login/", HTTP_X_REQUEST_ID="<script>\nx")["X-Request-ID"]
    assert len(replaced) == 16 and "<" not in replaced


def _capture(formatter) -> tuple[logging.Handler, StringIO]:
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter)
    return handler, stream


def test_a_wrong_host_header_logs_one_line_with_the_request_id_and_no_traceback(client):
    handler, stream = _capture(OneLineFormatter())
    logger = logging.getLogger("django.security.DisallowedHost")
    logger.addHandler(handler)
    try:
        response = client.get("/login/", HTTP_HOST="evil.example", HTTP_X_REQUEST_ID="req-1")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 400
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].endswith(" ERROR django.security.DisallowedHost [req-1] Invalid HTTP_HOST header: 'evil.example'. "
                             "You may need to add 'evil.example' to ALLOWED_HOSTS.")
    assert "Traceback" not in stream.getvalue()


def test_json_lines_carry_time_level_logger_request_id_and_the_traceback_in_one_line():
    handler, stream = _capture(JsonLineFormatter())
    logger = logging.getLogger("isf.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("import failed for %s", "kunden.csv")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    [line] = stream.getvalue().splitlines()
    data = json.loads(line)
    assert sorted(data) == ["exc", "level", "logger", "message", "request_id", "time"]
    assert (data["level"], data["logger"], data["request_id"], data["message"]) == (
        "ERROR", "isf.test.json", "-", "import failed for kunden.csv")
    assert data["exc"].startswith("Traceback") and data["exc"].endswith("ValueError: boom")
    assert data["time"].endswith("Z") and len(data["time"]) == 24


def test_the_settings_log_through_the_one_line_formatter():
    handler = settings.LOGGING["handlers"]["console"]
    assert (handler["formatter"], handler["filters"]) == ("text", ["request_id"])


def _fill(now):
    WorkerHeartbeat.objects.create(worker_id="w-live", host="app-1", pid=11, started_at=now - timedelta(hours=1),
                                   heartbeat_at=now - timedelta(seconds=4))
    WorkerHeartbeat.objects.create(worker_id="w-gone", host="app-2", pid=12, started_at=now - timedelta(hours=2),
                                   heartbeat_at=now - timedelta(minutes=20))
    for _ in range(3):
        DBTaskResult.objects.create(args_kwargs={"args": [1], "kwargs": {}}, task_path="isf.imports.jobs.run_import_job",
                                    backend_name="default", run_after=get_date_max())
    DBTaskResult.objects.create(args_kwargs={"args": [2], "kwargs": {}}, task_path="isf.imports.jobs.run_import_job",
                                backend_name="default", run_after=get_date_max(), status=TaskResultStatus.RUNNING,
                                started_at=now - timedelta(minutes=25), worker_ids=["w-gone"])
    NightlyRun.objects.create(run_date=date(2027, 5, 4), started_at=now - timedelta(hours=8),
                              steps_done={"segmentation": {"accounts": 0}, "lifecycle": {"accounts": 0}})


def test_isf_status_json_shows_queue_stale_jobs_workers_and_the_last_nightly_run(time_machine):
    time_machine.move_to(NOW, tick=False)
    now = timezone.now()
    _fill(now)
    out = StringIO()
    call_command("status", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["checks"] == {"database": "ok"}
    assert {k: data["queue"][k] for k in ("queued", "running", "stale", "failed_last_24h")} == {
        "queued": 3, "running": 0, "stale": 1, "failed_last_24h": 0}
    assert [(j["subject"], j["worker"]) for j in data["stale_jobs"]] == [("import job 2", "w-gone")]
    assert [(w["worker_id"], w["state"], w["seconds_since_heartbeat"]) for w in data["workers"]] == [
        ("w-live", "alive", 4), ("w-gone", "stale", 1200)]
    run = data["nightly"]["last_run"]
    assert run["run_date"] == "2027-05-04" and run["finished_at"] is None
    assert [(s["step"], s["done"]) for s in run["steps"]] == [
        ("segmentation", True), ("lifecycle", True), ("monitoring", False), ("planning", False), ("calls", False),
        ("service", False), ("campaigns", False), ("imports", False), ("housekeeping", False)]


def test_isf_status_exits_1_and_names_the_check_when_the_database_does_not_answer(monkeypatch):
    monkeypatch.setattr("isf.core.ops.connection.cursor", _broken_cursor)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("status", stdout=out)
    assert exit_info.value.code == 1
    assert out.getvalue().strip() == "database: fail: OperationalError"


def test_the_operator_page_shows_the_same_for_administrators_only(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    _fill(timezone.now())
    client.force_login(UserFactory(role=Role.INSIDE_AGENT))
    assert client.get("/ops/").status_code == 403
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.get("/ops/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<strong data-testid="ops-queued">3</strong>' in html
    assert '<strong data-testid="ops-stale">1</strong>' in html
    assert 'data-testid="worker-w-gone"><td>w-gone</td><td>gone (no heartbeat)</td>' in html
    assert '<li data-testid="step-monitoring">monitoring: open</li>' in html
    assert 'href="/ops/"' in html  # in the administrator's menu


def test_createsuperuser_makes_an_administrator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-operator-pass-2027")
    call_command("createsuperuser", interactive=False, username="operator", email="op@example.com",
                 stdout=StringIO())
    user = User.objects.get(username="operator")
    assert (user.role, user.is_superuser, user.is_staff) == (Role.ADMIN, True, True)


def _settings_with(env: dict) -> dict:
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.STORAGES['staticfiles']['BACKEND'], s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
            "s.SECURE_PROXY_SSL_HEADER, s.LOGGING['handlers']['console']['formatter']]))")
    base = {k: v for k, v in os.environ.items() if not k.startswith("ISF_")}
    run = subprocess.run([sys.executable, "-c", code], env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
                         capture_output=True, text=True, check=True, cwd=settings.BASE_DIR)
    return json.loads(run.stdout)


def test_production_serves_hashed_static_files_and_https_is_one_switch_with_the_proxy_beside_it():
    assert _settings_with({"ISF_DEBUG": "0", "ISF_SECRET_KEY": "k" * 50}) == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage", True, True, None, "text"]
    assert _settings_with({"ISF_DEBUG": "0", "ISF_HTTPS": "0", "ISF_LOG_FORMAT": "json"}) == [
        "whitenoise.storage.CompressedManifestStaticFilesStorage", False, False, None, "json"]
    assert _settings_with({"ISF_DEBUG": "0", "ISF_BEHIND_PROXY": "1"})[3] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert _settings_with({"ISF_DEBUG": "1"})[0] == "django.contrib.staticfiles.storage.StaticFilesStorage"
