import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_isf_help_lists_isf_commands():
    out = subprocess.run([sys.executable, "-m", "config.cli", "--help"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    for command in ("demo", "token"):
        assert f"  {command}" in out


def test_every_isf_command_has_help():
    import django

    from config.cli import _isf_commands

    django.setup()
    for name in _isf_commands():
        result = subprocess.run([sys.executable, "-m", "config.cli", name, "--help"], cwd=ROOT, capture_output=True,
                                text=True)
        assert result.returncode == 0, (name, result.stderr)
        assert "usage:" in result.stdout
