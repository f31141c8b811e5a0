"""Shared fixtures: kept small; each ring of tests has its own helpers."""

pytest_plugins = ["database_fixtures", "world_fixtures"]
