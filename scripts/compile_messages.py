"""Compile every locale/*/LC_MESSAGES/django.po (root and per app) to .mo with polib.

No GNU gettext is needed at setup; `make messages` (which does need it) refreshes the .po files.
"""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent
for po_path in sorted([*root.glob("locale/*/LC_MESSAGES/*.po"), *root.glob("isf/*/locale/*/LC_MESSAGES/*.po")]):
    po = polib.pofile(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path.relative_to(root)} ({po.percent_translated()} % translated)")
