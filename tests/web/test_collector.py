"""A serving process collects garbage rarely; an app in someone else's process leaves the collector alone."""

from __future__ import annotations

import gc
import subprocess
import sys

from fastapi.testclient import TestClient

from troth.settings import load_settings
from troth.storage.database import Database
from troth.web.app import create_app
from troth.web.collector import YOUNG_THRESHOLD


def test_tuning_for_serving_freezes_start_up_objects_and_raises_the_threshold() -> None:
    script = (
        "import gc; from troth.web.collector import tune_for_serving; tune_for_serving(); "
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [str(YOUNG_THRESHOLD), "True"]


def test_an_app_that_is_not_serving_leaves_the_collector_alone(database: Database) -> None:
    before = gc.get_threshold()
    app = create_app(load_settings(database_url="sqlite://"), database)
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
    assert gc.get_threshold() == before
