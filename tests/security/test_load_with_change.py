"""Ten seconds of reading while an article is edited, withdrawn and republished every second:
no 5xx, and no response started after a change committed shows the state before it."""

import importlib.util
from pathlib import Path

import pytest
from django.db import connection

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "load_with_change.py"
spec = importlib.util.spec_from_file_location("load_with_change", SCRIPT)
load_with_change = importlib.util.module_from_spec(spec)
spec.loader.exec_module(load_with_change)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writes and reads need a real server database: runs in the PostgreSQL pass",
)
@pytest.mark.django_db(transaction=True)
def test_ten_seconds_of_load_with_change(live_server, make_article, settings):
    from rest_framework import throttling

    throttling.SimpleRateThrottle.THROTTLE_RATES = {"anon": "1000000/min"}
    for n in range(5):
        make_article(headline=f"Other story {n}")
    article = make_article(headline="Harbour story v0000")
    report = load_with_change.run(live_server.url, article, duration=10, connections=8)
    assert report.requests > 50 and report.changes >= 8
    assert report.server_errors == []
    assert report.stale == [], report.stale[:10]
