"""The `isf` console script: ISF's operator commands (demo, nightly, imports, analytics ...).

Every `isf X` is the Django management command X, so the same code runs from
`manage.py X`, from tests (call_command) and from the shell. `isf --help` lists the ISF
commands only; `isf help X` or `isf X --help` shows one command's options.
"""

import os
import sys

ISF_APPS_PREFIX = "isf."


def _isf_commands() -> dict[str, str]:
    from django.core.management import get_commands

    return {name: app for name, app in sorted(get_commands().items()) if app.startswith(ISF_APPS_PREFIX)}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    argv = list(sys.argv[1:] if argv is None else argv)
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    if not argv or argv[0] in {"-h", "--help", "help"} and len(argv) == 1:
        print("usage: isf COMMAND [options]\n\nISF commands (isf COMMAND --help for details):")
        for name, app in _isf_commands().items():
            print(f"  {name:<18} ({app.removeprefix(ISF_APPS_PREFIX)})")
        print("\nAll Django commands (migrate, runserver, ...) are available too.")
        return
    if argv[0] == "help" and len(argv) > 1:
        argv = [argv[1], "--help"]
    execute_from_command_line(["isf", *argv])


if __name__ == "__main__":
    main()
