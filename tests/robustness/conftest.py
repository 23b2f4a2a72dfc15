"""Robustness tests. The SIGKILL crash test runs only under ``make robustness``
(``YISHI_ROBUSTNESS=1``): it restarts the real server 21 times and takes a minute or two."""

from __future__ import annotations

import os

collect_ignore = [] if os.environ.get("YISHI_ROBUSTNESS") == "1" else ["test_crash.py"]
