"""The functional core: everything an SLA means, as pure and deterministic code.

Nothing in this package performs I/O or reads the clock; "now" is always a parameter.
It never imports the shell (storage, web, monitors, notify, cli), SQLAlchemy, FastAPI or httpx.
"""
