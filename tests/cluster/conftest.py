"""The cluster tests run only against a running cluster (``.ci/cluster-test`` starts one and
sets ``CLUSTER_WORKER_URLS``); a plain ``pytest`` run does not collect them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave this folder out unless a cluster is there to test."""
    if not os.environ.get("CLUSTER_WORKER_URLS"):
        return True
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cluster: needs the running cluster of .ci/cluster-test")
