"""What every app built in a test process would build again the same: made once per process.

The in-process tests build some 700 apps (``create_app``, one per test). Each spent 0.14 of its
0.17 s of CPU in werkzeug writing and compiling Python source for the URL builders of its ~210
routes, the same source for the same route every time, and each compiled every Jinja template
it rendered again. Here both are kept for the process:

- a route's builder is made once per distinct route (its parts, the converters' types, its
  defaults, with or without unknown arguments) and shared: the function takes the rule as its
  first argument, so it is bound to each app's own rule as werkzeug binds it;
- templates use an in-memory Jinja bytecode cache, keyed by Jinja itself on the template's
  name and a checksum of its source (an edited template is compiled again).

Test processes only; a running server builds one app and keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing.rules import Rule


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates, kept in this process."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_builders: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}


def _route_key(rule: Rule, append_unknown: bool) -> tuple[Any, ...]:
    converters = tuple(sorted((name, type(c)) for name, c in rule._converters.items()))
    defaults = tuple(sorted((k, repr(v)) for k, v in (rule.defaults or {}).items()))
    return (tuple(rule._trace), converters, defaults, append_unknown)


def install() -> None:
    """Share the routes' builders and the compiled templates in this process (once)."""
    original = Rule._compile_builder
    if getattr(original, "shared", False):
        return

    def shared_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        key = _route_key(self, append_unknown)
        found = _builders.get(key)
        if found is None:
            found = _builders[key] = original(self, append_unknown)
        return found

    shared_builder.shared = True  # type: ignore[attr-defined]
    Rule._compile_builder = shared_builder  # type: ignore[method-assign]
    Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": MemoryBytecodeCache()}
