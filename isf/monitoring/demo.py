"""Demo content for monitoring: the flag calibration on the demo's own orders (as the nightly run renews it),
the run four weeks ago, then today's run (which closes the alerts of accounts
that ordered since and raises the new ones). The teams work the alert calls with the rest of their queue, at
their capacity day by day, in the planning step (`isf.capacity.demo.work_queues`)."""

from datetime import timedelta

from isf.monitoring.calibration import calibration_renew
from isf.monitoring.services import monitor_run


def load(ctx) -> None:
    calibration_renew(today=ctx.today, progress=ctx.progress)
    past = monitor_run(today=ctx.today - timedelta(days=28), progress=ctx.progress)
    ctx.progress(f"monitoring four weeks ago: {past['flags_raised']:,} alerts")
    now = monitor_run(today=ctx.today, progress=ctx.progress)
    ctx.progress(f"monitoring today: {now['flags_raised']:,} new alerts, {now['flags_resolved']:,} resolved")
