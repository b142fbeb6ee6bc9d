"""The layer contracts hold (issue 22): the same check as `make lint`, so a plain pytest run sees a broken layer."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import import_contracts  # noqa: E402


def test_the_import_contracts_are_kept(tmp_path):
    config = tmp_path / "importlinter.ini"
    config.write_text(import_contracts.config_text(), encoding="utf-8")
    linter = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(linter), "--config", str(config), "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout[done.stdout.find("Broken contracts"):]


def test_the_contracts_cover_every_app_and_no_core_module_is_domain():
    text = import_contracts.config_text()
    apps = sorted(p.name for p in (ROOT / "isf").iterdir()
                  if (p / "apps.py").is_file() and p.name not in ("core", "api", "demo"))
    assert sorted(import_contracts.APP_LAYERS) == apps
    assert "isf.core.views" not in text.split("[importlinter:contract:interface]")[1].split("forbidden_modules")[0]
