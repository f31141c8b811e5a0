"""Queries and writes by concept; they take a Session and never commit (the services own transactions)."""
