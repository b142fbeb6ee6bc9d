"""The one PDF printer (isf.core.pdf): a real print with Chromium, and its failures with clear messages."""

import os
import stat
import tempfile
import time
from pathlib import Path

import pytest

from isf.core import pdf

PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Test</title>
<style>@page { size: A4; margin: 20mm; } body { font-family: sans-serif; }</style></head>
<body><h1>Betreuungsmatrix</h1><p>Grüße aus dem Innendienst.</p></body></html>"""


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Temporary files of the printer go to an empty directory of their own, so leftovers can be seen."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def _fake_chromium(tmp_path: Path, monkeypatch, body: str) -> Path:
    script = tmp_path / "fake-chromium"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(pdf, "CHROMIUM", str(script))
    return script


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # killed, waiting to be reaped by init


def test_prints_a_small_page_to_a_real_pdf_and_leaves_no_temp_files(private_tmp):
    if pdf.chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: CI must print PDFs")
        pytest.skip("Chromium not installed")
    data = pdf.html_to_pdf(PAGE)
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in data or b"/Type/Page" in data
    assert list(private_tmp.iterdir()) == []


def test_missing_chromium_is_a_clear_error(monkeypatch, private_tmp):
    monkeypatch.setattr(pdf, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert pdf.chromium_path() is None
    with pytest.raises(pdf.PdfError, match=r"Chromium is not installed .*/nonexistent/chromium.*ISF_CHROMIUM"):
        pdf.html_to_pdf(PAGE)
    assert list(private_tmp.iterdir()) == []


def test_a_chromium_that_hangs_is_stopped_after_the_timeout_with_its_helpers(tmp_path, monkeypatch, private_tmp):
    pid_file = tmp_path / "helper.pid"
    _fake_chromium(tmp_path, monkeypatch, f"sleep 60 &\necho $! > {pid_file}\nwait")
    started = time.monotonic()
    with pytest.raises(pdf.PdfError, match=r"did not finish the PDF within 1 s"):
        pdf.html_to_pdf(PAGE, timeout=1)
    assert time.monotonic() - started < 10
    helper = int(pid_file.read_text())
    for _ in range(50):
        if _gone(helper):
            break
        time.sleep(0.05)
    assert _gone(helper), "the forked helper outlived the print"
    assert list(private_tmp.iterdir()) == []


def test_a_chromium_without_output_is_an_error_naming_the_exit_code(tmp_path, monkeypatch, private_tmp):
    _fake_chromium(tmp_path, monkeypatch, "echo 'cannot print' >&2\nexit 3")
    with pytest.raises(pdf.PdfError, match=r"^Chromium produced no PDF \(exit 3\)$"):
        pdf.html_to_pdf(PAGE)
    assert list(private_tmp.iterdir()) == []


def test_output_that_is_not_a_pdf_is_refused(tmp_path, monkeypatch, private_tmp):
    # the fake writes to the --print-to-pdf target it is given
    _fake_chromium(tmp_path, monkeypatch, 'for a in "$@"; do case "$a" in\n'
                   '  --print-to-pdf=*) echo "<html>" > "${a#--print-to-pdf=}";;\nesac; done')
    with pytest.raises(pdf.PdfError, match="not a PDF"):
        pdf.html_to_pdf(PAGE)
    assert list(private_tmp.iterdir()) == []


def test_the_apps_print_with_the_core_printer():
    from isf.planning import pdf as planning_pdf
    from isf.reviews import pdf as reviews_pdf
    from isf.service import pdf as service_pdf

    assert planning_pdf.html_to_pdf is pdf.html_to_pdf and service_pdf.html_to_pdf is pdf.html_to_pdf
    assert planning_pdf.PdfError is service_pdf.PdfError is reviews_pdf.PdfError is pdf.PdfError
    assert reviews_pdf.TIMEOUT_SECONDS == 90 and pdf.TIMEOUT_SECONDS == 60


class _Canary:
    """A local HTTP server that counts every request: the printed page must not reach it."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"CANARY-REACHED")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_hostile_page_prints_without_running_script_reading_files_or_making_requests(private_tmp):
    if pdf.chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: CI must print PDFs")
        pytest.skip("Chromium not installed")
    canary = _Canary()
    try:
        hostile = f"""<!doctype html><html><head><meta charset="utf-8"><title>Hostile</title>
<meta http-equiv="refresh" content="0;url={canary.url}/refresh">
<link rel="stylesheet" href="{canary.url}/style.css"><link rel="stylesheet" href="file:///etc/passwd">
<style>@import url("{canary.url}/import.css"); body {{ background: url("{canary.url}/bg.png"); }}</style>
</head><body><h1>Vertrag</h1><p id="out">Original text</p>
<script>document.getElementById("out").textContent = "SCRIPT-RAN";
  fetch("{canary.url}/fetch"); document.body.append("SCRIPT-APPENDED");</script>
<img src="file:///etc/passwd"><img src="{canary.url}/img.png">
<iframe src="file:///etc/passwd" width="600" height="300"></iframe>
<iframe src="{canary.url}/frame" width="600" height="100"></iframe>
<object data="file:///etc/passwd" type="text/plain" width="600" height="300"></object>
<embed src="file:///etc/hostname" type="text/plain" width="600" height="100">
</body></html>"""
        text = _pdf_text(pdf.html_to_pdf(hostile))
    finally:
        canary.close()
    assert "Vertrag" in text and "Original text" in text
    assert "SCRIPT" not in text
    assert "root:" not in text and "/bin/" not in text and Path("/etc/hostname").read_text().strip() not in text
    assert "CANARY" not in text
    assert canary.hits == []
    assert list(private_tmp.iterdir()) == []
