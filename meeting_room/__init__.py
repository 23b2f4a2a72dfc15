"""Yishi: the in-room meeting system's core, as feature packages (docs/architecture.md)."""
