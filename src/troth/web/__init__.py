"""The web service: `create_app(settings)` builds the FastAPI application."""
