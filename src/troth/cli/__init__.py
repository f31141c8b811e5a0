"""The `troth` command: parses arguments, calls the core and services, prints."""

from troth.cli.app import main

__all__ = ["main"]
