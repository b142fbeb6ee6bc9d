"""Write .importlinter: the layer contracts of ISF (issue 22, docs/architecture.md "Layers").

The contracts name modules, and modules come and go, so this script derives the module lists from the tree and
`make lint` (scripts/lint.sh) writes the file before `lint-imports` reads it:

1. numerics: the Django-free numerics (isf_stats, isf.core.business_time) import nothing of ISF, nor Django.
2. core: isf/core imports no domain app, no interface (API) and no composition (config, demo).
3. interface: no domain module imports a view, a form, a URL module, an app's API router or isf.api.
4. app layers: below the interface the apps form layers (APP_LAYERS, top first); an app imports only apps below
   it. The imports that still break the order are listed in KNOWN_CYCLES with what would fix them - the list
   only shrinks.
5. composition: config (URLs, settings, CLI, the header), isf.demo and isf.api sit on top; no app imports them.

    python scripts/import_contracts.py          # print
    python scripts/import_contracts.py --write  # write .importlinter
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ISF = ROOT / "isf"

#: The domain apps from top to bottom: an app may import the apps below it (not above).
APP_LAYERS = [
    "targets",
    "reviews",
    "imports",
    "capacity",
    "monitoring",
    "calls",
    "visits",
    "campaigns",
    "service",
    "planning",
    "segmentation",
    "lifecycle",
    "references",
    "customers",
    "org",
]
COMPOSITION = ["config", "isf.demo", "isf.api"]

#: A module whose last name matches is interface (requests in, pages or JSON out) or composition.
INTERFACE = re.compile(r"^(views|.*_views|views_.*|forms|.*_forms|urls|api|admin|templatetags)$")
#: Not part of the app graph: tests, migrations, commands, demo content (composition), nightly steps.
OUTSIDE = re.compile(r"^(tests|.*_tests|migrations|management|demo|demo_.*|nightly|conftest)$")

#: Imports below the interface that break APP_LAYERS today, with what would remove each.
KNOWN_CYCLES = {
    # planning ranks a service order's task by the order's SLA clock: the clock moves to planning or a selector
    # of service answers it
    "isf.planning.priority -> isf.service.*": "service order SLA read by the task ranking",
    # planning fits contact plans into the capacity the teams leave: capacity's schedule is read from planning
    "isf.planning.plan -> isf.capacity.*": "contact plans fitted into the capacity schedule",
    # a goodwill decision answers the complaint that asked for it (campaigns <-> service)
    "isf.service.decisions -> isf.campaigns.*": "a decision answers its complaint",
    "isf.service.decisions -> isf.campaigns.services.*": "a decision answers its complaint",
    # monitoring's alerts are spread over the days with capacity
    "isf.monitoring.services -> isf.capacity.*": "alerts spread over the capacity schedule",
    # visit reports order follow-ups through the calls app's sources of service orders
    "isf.visits.services -> isf.calls.*": "follow-ups of a visit report as service orders",
    # the review pack reads targets and the target pages read review actions
    "isf.reviews.selectors -> isf.targets.*": "the review pack shows the targets",
    # customers' selectors read segments and phases for filters
    "isf.customers.selectors -> isf.segmentation.*": "the account list filters by segment",
    # erasing a contact empties its tasks' notes through planning (the task's writer): erasure is a use case above
    # both apps and would move to a GDPR module on top
    "isf.customers.gdpr -> isf.planning.services": "contact erasure empties the task notes",
    # issue 20's features, merged in parallel with the contracts: each names what would remove it
    # the preview prices the care workload of the moved accounts with capacity's matrix price: the preview is a
    # use case above segmentation and would move to capacity (its view calls it there)
    "isf.segmentation.preview -> isf.capacity.*": "the rule preview prices the care workload",
    "isf.segmentation.preview -> isf.planning.models": "the rule preview reads the care matrix",
    # the channel mix counts orders matched to calls and visit reports: the channel would be kept on the order
    # (written by calls' attribution and the visit report), so segmentation reads its own customers' orders
    "isf.segmentation.behaviour -> isf.calls.models": "channel mix: orders matched to calls",
    "isf.segmentation.behaviour -> isf.visits.models": "channel mix: orders after a visit",
    # the capture tells the owning rep: notifications would move below customers (to org) or the caller notifies
    "isf.customers.services -> isf.service.*": "the capture notifies the owner",
    # the referral trigger reads the positive events of service (ratings) and campaigns (complaints, quotes): the
    # owning apps would pass their events to planning instead (they already call referral_ask_after)
    "isf.planning.referrals -> isf.campaigns.models": "referral after a solved complaint or a won quote",
    "isf.planning.referrals -> isf.service.models": "referral after a top rating",
    # an order taken on a call-list call is logged as a call; the reasons name cross-sell groups of calls' model
    "isf.campaigns.services.campaigns -> isf.calls.*": "an order taken on a call-list call is a logged call",
    "isf.campaigns.services.telemarketing -> isf.calls.crosssell": "reasons name the missing product groups",
    # owners follow the segment (its team, the day's segment changes): the owner rules would move to segmentation,
    # which sits above customers and calls customers.services to write the owner
    "isf.customers.services -> isf.segmentation.models": "owners follow the segment's team and changes",
    # the work-queue side of the owner's task: the callers (above planning) would pick it
    "isf.customers.owners -> isf.planning.choices": "the owner's task goes to the field's or inside's queue",
}


def modules() -> list[str]:
    found = []
    for path in sorted(ISF.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(OUTSIDE.match(p) for p in parts[2:]):
            continue
        found.append(".".join(parts))
    return found


def _is_interface(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 2 and any(INTERFACE.match(p) for p in parts[2:])


def _app(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def config_text() -> str:
    mods = modules()
    apps = [a for a in APP_LAYERS if (ISF / a).is_dir()]
    interface = sorted({m for m in mods if _is_interface(m) and _app(m) != "api"}
                       | {m for m in mods if _app(m) == "api"})
    # the packages that hold interface modules are neither (``isf.campaigns.views`` is one, its parent is not)
    domain = sorted(m for m in mods if not _is_interface(m) and _app(m) in apps and m.count(".") >= 2
                    and not any(i.startswith(m + ".") for i in interface))
    top_interface = sorted({m for m in interface if not any(m.startswith(i + ".") for i in interface if i != m)})
    lines = [
        "# Written by scripts/import_contracts.py (make lint writes it first); change the script, not this file.",
        "[importlinter]",
        "root_packages =",
        "    isf",
        "    isf_stats",
        "    config",
        "include_external_packages = True",
        "",
        "[importlinter:contract:numerics]",
        "name = The Django-free numerics import nothing of ISF, nor Django",
        "type = forbidden",
        "source_modules =",
        "    isf_stats",
        "    isf.core.business_time",
        "forbidden_modules =",
        "    isf",
        "    config",
        "    django",
        "    ninja",
        "",
        "[importlinter:contract:core]",
        "name = isf/core imports no domain app, no interface and no composition",
        "type = forbidden",
        "source_modules =",
        "    isf.core",
        "forbidden_modules =",
        *[f"    isf.{a}" for a in apps],
        *[f"    {c}" for c in COMPOSITION],
        "ignore_imports =",
        "    isf.core.tests.** -> isf.**",
        "    isf.core.tests.** -> config.**",
        "unmatched_ignore_imports_alerting = warn",
        "",
        "[importlinter:contract:interface]",
        "name = No domain module imports views, forms, URLs or the API",
        "type = forbidden",
        "source_modules =",
        *[f"    {m}" for m in domain],
        "forbidden_modules =",
        *[f"    {m}" for m in top_interface],
        "allow_indirect_imports = True",
        "",
        "[importlinter:contract:apps]",
        "name = Below the interface the apps form layers (no cycles)",
        "type = layers",
        "unmatched_ignore_imports_alerting = warn",
        "layers =",
        *[f"    isf.{a}" for a in apps],
        "    isf.core",
        "ignore_imports =",
        *[f"    {m} -> isf.**" for m in top_interface if _app(m) in apps],
        *[f"    isf.{a}.{o} -> isf.**" for a in apps for o in ("tests.**", "management.**", "nightly", *_demos(a))
          if _exists(a, o)],
        *[f"    {rule}" for rule in KNOWN_CYCLES],
        "    isf.core.tests.** -> isf.**",
        "",
        "[importlinter:contract:composition]",
        "name = The composition (config, demo, API) on top: no app imports it",
        "type = layers",
        "layers =",
        "    config",
        "    isf.demo",
        "    isf.api",
        "    " + " : ".join(f"isf.{a}" for a in apps),
        "    isf.core",
        "unmatched_ignore_imports_alerting = warn",
        "ignore_imports =",
        *[f"    {m} -> isf.**" for m in top_interface if _app(m) in apps],
        *[f"    isf.{a}.{d} -> isf.**" for a in apps for d in _demos(a)],
        *[f"    isf.{a}.tests.** -> isf.**" for a in apps if (ISF / a / "tests").is_dir()],
        *[f"    isf.{a}.tests.** -> config.**" for a in apps if (ISF / a / "tests").is_dir()],
        "    isf.core.tests.** -> isf.**",
        "    isf.core.tests.** -> config.**",
    ]
    return "\n".join(lines) + "\n"


def _demos(app: str) -> list[str]:
    """The app's demo content modules (``demo``, ``demo_leads``, ...): composition, outside the app graph."""
    return sorted(p.stem for p in (ISF / app).glob("demo*.py"))


def _exists(app: str, name: str) -> bool:
    base = name.split(".")[0]
    return (ISF / app / base).is_dir() or (ISF / app / f"{base}.py").is_file()


if __name__ == "__main__":
    text = config_text()
    if "--write" in sys.argv:
        (ROOT / ".importlinter").write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
