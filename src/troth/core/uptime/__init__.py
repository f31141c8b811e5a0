"""Uptime: outages, maintenance and exclusions turned into measured, down and excluded minutes."""
