"""The batch contract (CONTRACT.md): JSON Lines files in, JSON Lines out.

These modules read and write files; they turn each line into core values and locate every error
by file, line and field.
"""
