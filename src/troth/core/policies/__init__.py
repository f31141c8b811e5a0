"""The policy model: an SLA as typed, frozen values."""
