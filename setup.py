"""Build hook (setuptools): what the app needs beside its Python modules goes into the wheel, with its German
messages compiled, so `pip install .` gives a working `isf` without a checkout or `make setup`.

- every app's templates, static files and message catalogs (package data, pyproject.toml);
- the project's shared templates, static files and root catalog (`templates/`, `static/`, `locale/`) and the
  front-end vendor files from npm (Pico CSS, Chart.js; `npm ci` before building) as `config/share/`,
  which config/settings.py uses when it runs from an installed package;
- every `django.po` compiled to `django.mo` with polib (no GNU gettext needed), as scripts/compile_messages.py
  does in a checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHARED = ("templates", "static", "locale")
VENDOR = {"vendor/pico": "node_modules/@picocss/pico/css", "vendor/chartjs": "node_modules/chart.js/dist"}


class BuildWithSharedFilesAndMessages(build_py):
    def run(self) -> None:
        super().run()
        import polib

        out = Path(self.build_lib)
        share = out / "config" / "share"
        for name in SHARED:
            shutil.copytree(ROOT / name, share / name, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.mo"))
        for prefix, source in VENDOR.items():
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, share / "static" / prefix, dirs_exist_ok=True)
        catalogs = [*share.glob("locale/*/LC_MESSAGES/*.po"), *out.glob("isf/*/locale/*/LC_MESSAGES/*.po")]
        if not catalogs:
            raise SystemExit("no message catalogs found to compile")
        for po in catalogs:
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))


setup(cmdclass={"build_py": BuildWithSharedFilesAndMessages})
