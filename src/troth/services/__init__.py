"""Use cases: load from storage, call the core, save; each owns its transaction."""
