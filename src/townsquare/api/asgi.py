"""`uvicorn townsquare.api.asgi:app` entry point (settings from the environment)."""

from townsquare.api.app import create_app

app = create_app(warm=True)
