"""Shared fixtures: kept small; each ring of tests has its own helpers."""
