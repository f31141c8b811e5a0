"""One router per concept; each module has a `router`."""
