"""The scripted meeting of tests/web/scripted.py, held, as the ``held`` fixture."""

from tests.web.scripted import held  # noqa: F401  (a fixture)
