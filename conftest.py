"""Shared pytest fixtures: fast settings, demo-like factories, and a real Chromium for browser tests."""

import datetime as dt
import os
import shutil
from zoneinfo import ZoneInfo

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# there unless told that this thread is synchronous in practice.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ISF_CHROMIUM", "/usr/bin/chromium")

# ISF_TEST_TODAY=YYYY-MM-DD runs the whole suite as if that were the date (09:00 in Berlin, the clock
# ticking from there): `ISF_TEST_TODAY=2028-02-29 make test-sqlite` reproduces a failure that CI found
# on a shifted date. Tests that set their own time (time_machine fixture) travel on from there.
_TRAVEL = None


def _test_today():
    raw = os.environ.get("ISF_TEST_TODAY", "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise pytest.UsageError(f"ISF_TEST_TODAY must be a date as YYYY-MM-DD, not {raw!r}") from None


def pytest_configure(config):
    global _TRAVEL
    today = _test_today()
    if today is not None and _TRAVEL is None:
        import time_machine

        start = dt.datetime.combine(today, dt.time(9, 0), tzinfo=ZoneInfo("Europe/Berlin"))
        _TRAVEL = time_machine.travel(start, tick=True)
        _TRAVEL.start()


def pytest_unconfigure(config):
    global _TRAVEL
    if _TRAVEL is not None:
        _TRAVEL.stop()
        _TRAVEL = None


def pytest_report_header(config):
    today = _test_today()
    return f"ISF_TEST_TODAY: the suite runs on {today.isoformat()}" if today else None


@pytest.fixture(autouse=True)
def _fast_settings(request):
    if not request.config.pluginmanager.hasplugin("django"):
        return  # Django-free packages (isf_stats) can run with -p no:django
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()  # rate limits and cached figures are state: every test starts without another test's


@pytest.fixture
def today_is(time_machine):
    """Set the clock to 09:00 in Berlin on a date (ticking on from there unless tick=False).

    For tests whose data has fixed dates and whose code reads today from the clock."""

    def _set(day: dt.date, *, hour: int = 9, tick: bool = True):
        time_machine.move_to(dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo("Europe/Berlin")), tick=tick)

    return _set


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must run the browser tests (make setup as root)")
        pytest.skip("Chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield b
        b.close()


@pytest.fixture
def make_page(browser, live_server):
    """Open a browser page at a given viewport and language; closes its context afterwards."""
    contexts = []

    def _make(width=1280, height=900, locale="de-DE"):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale=locale,
                                  extra_http_headers={"Accept-Language": locale})
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        return page

    yield _make
    for ctx in contexts:
        ctx.close()


def browser_login(page, username, password="demo-pass-123"):
    page.goto(f"{page.base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
