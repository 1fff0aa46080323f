"""报送台 (the desk): the rule engine in a browser, for clerks without the macro and the county's supervisor.

``create_app(workspace)`` builds the Starlette application over a workspace folder (see ``store.py``);
``xlgova serve`` runs it with uvicorn on 127.0.0.1. Pages and the JSON API are thin handlers over
``service.py``, ``review.py`` and ``outputs.py``, which call the library (reader, rules, consolidation,
Word export) — the desk never has a second copy of any of them. See docs/desk.md.
"""
from __future__ import annotations


def create_app(workspace, **options):
    from .app import create_app as _create

    return _create(workspace, **options)


__all__ = ["create_app"]
