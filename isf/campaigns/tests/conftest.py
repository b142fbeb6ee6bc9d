"""Unit tests of this app assert the English messages; the browser tests switch to German themselves."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
