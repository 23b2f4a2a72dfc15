"""The lobby sign-in kiosk: finding a member, confirming, proxies, guests, the personal QR."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the kiosk's views."""
    from kiosk.views import bp

    app.register_blueprint(bp)
