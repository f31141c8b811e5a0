"""Troth keeps the promises written in Service Level Agreements, and proves it."""

__version__ = "0.1.0"
