"""Service credits: tier tables, excess-downtime multiples, caps, eligibility and claims."""
