"""What ``yishi verify`` found, as data: one ``Check`` per thing checked, each with the flaws it
found (``records.verify_words`` says them in the reader's language, once for the command and
the administrator's page)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

MAX_FLAWS = 50  # per check: a forged table can differ in every row; the first ones tell enough


class Topic(StrEnum):
    """What a check is about."""

    LOG = "log"  # the hash chain
    ANCHOR = "anchor"  # an anchor read off paper
    TABLE = "table"  # an audited table against the log's entries
    POLL = "poll"  # a closed poll: recount, result, ballot list, seals


class Flaw(StrEnum):
    """One way the records fail to agree."""

    CHAIN_BROKEN = "chain_broken"
    ANCHOR_UNREADABLE = "anchor_unreadable"
    ANCHOR_NOT_FOUND = "anchor_not_found"
    ROW_NOT_IN_LOG = "row_not_in_log"
    ROW_DELETED_IN_LOG = "row_deleted_in_log"
    ROW_MISSING = "row_missing"
    VALUE_DIFFERS = "value_differs"
    LIST_BROKEN = "list_broken"
    FINAL_HASH_NOT_AUDITED = "final_hash_not_audited"
    FINAL_HASH_NOT_SEALED = "final_hash_not_sealed"
    FINAL_HASH_NOT_PURGED = "final_hash_not_purged"
    BASE_NOT_SEALED = "base_not_sealed"
    BALLOTS_INVALID = "ballots_invalid"
    BALLOTS_NOT_PARTICIPANTS = "ballots_not_participants"
    RECOUNT_DIFFERS = "recount_differs"
    STORED_TALLY_DIFFERS = "stored_tally_differs"
    SEALED_COUNT_DIFFERS = "sealed_count_differs"
    PUBLISHED_DIFFERS = "published_differs"
    AREA_SUM_DIFFERS = "area_sum_differs"


@dataclass(frozen=True)
class Finding:
    """One flaw and what it concerns (a row, a field, an option, the values on each side)."""

    flaw: Flaw
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Check:
    """One thing checked: ``subject`` names it (a table, a poll's id), ``facts`` say what was
    seen when it holds (rows, entries, the recount), ``findings`` what does not."""

    topic: Topic
    subject: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    more: int = 0  # flaws found beyond MAX_FLAWS
    skipped: bool = False  # nothing to check it against (no anchor given)

    @property
    def ok(self) -> bool:
        """Whether nothing was found wrong."""
        return not self.findings

    def add(self, flaw: Flaw, **params: Any) -> None:
        """Record a flaw (beyond ``MAX_FLAWS``, only count it)."""
        if len(self.findings) < MAX_FLAWS:
            self.findings.append(Finding(flaw, params))
        else:
            self.more += 1


@dataclass(frozen=True)
class Report:
    """Every check of one run, in the order they were made."""

    checks: list[Check]

    @property
    def intact(self) -> bool:
        """Whether every check held."""
        return all(check.ok for check in self.checks)
