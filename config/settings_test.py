"""Settings of the test suite: the production settings, with HTTPS off because the test client and the live
server speak plain HTTP (ISF_HTTPS defaults to on unless ISF_DEBUG=1). Everything else comes from the
environment exactly as in production; conftest.py adjusts the rest per test."""

import os

os.environ.setdefault("ISF_HTTPS", "0")

from config.settings import *  # noqa: E402, F403

# Tests build their own order lines per test; the monitoring cache is switched on only where a test asks for it.
ISF_MONITOR_CACHE = False
