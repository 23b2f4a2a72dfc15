"""The clerk's second look at paper ballots, through the real app: a page whose QR code is
stained is counted under the serial the clerk types (checked: a serial, its check character,
this period, not counted yet); a value the reader read is changed by the clerk with a reason,
both kept and audited, the count following the clerk, until the preliminary result; and
``yishi restore`` puts the ballot images back, checked, so a disputed page shows again."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from devices import ballot_layout as layout
from meeting_room.assembly import service as assembly
from meeting_room.domain.assembly import Channel
from meeting_room.domain.paper import ScanResult, Unread
from meeting_room.store.models.assembly import UnitBallot, VotingPeriod
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.paper import BallotDispute, BallotScan
from tests.conftest import Clock, logged_in, unit
from tests.pg import server_url
from tests.support.ballot_scans import generate
from tests.web.assembly.test_paper import photo, printed, upload
from tests.web.assembly.test_period import opened

CHOICES = ("for", "against", "abstain")


def test_the_check_character_catches_one_mistyped_character_and_a_swap() -> None:
    serial = "ABCDEFGHJKMN"
    printed_line = layout.printed_serial(serial)
    assert printed_line.startswith("ABCD-EFGH-JKMN-") and len(printed_line) == 16
    assert layout.typed_serial(printed_line.lower().replace("-", " ")) == (serial, True)
    assert layout.typed_serial(serial) == (serial, None)
    assert layout.typed_serial("ABCD-EFGH") is None and layout.typed_serial("0BCDEFGHJKMN") is None
    check = layout.check_character(serial)
    for place in range(len(serial)):
        for other in layout.SERIAL_ALPHABET:
            if other != serial[place]:
                typo = serial[:place] + other + serial[place + 1 :]
                assert layout.check_character(typo) != check
        if place + 1 < len(serial) and serial[place] != serial[place + 1]:
            swapped = serial[:place] + serial[place + 1] + serial[place] + serial[place + 2 :]
            assert layout.check_character(swapped) != check


def test_a_page_whose_qr_code_is_stained_is_counted_under_the_serial_the_clerk_types(
    app: Flask, clock: Clock
) -> None:
    period_id, matters, units = opened(app, clock)
    client = logged_in(app, "clerk")
    serials = printed(app, client, period_id)
    serial = serials[units[2]]
    stained = generate(
        5101, kinds=("tick_pen", "cross"), serial=serial, torn=False, stained_qr=True
    )
    page = upload(client, period_id, ("stained.jpg", stained.jpeg))
    assert "review queue" in page or "审核" in page or "stained.jpg" in page
    with unit(app) as s:
        scan = s.scalars(select(BallotScan)).one()
        assert (scan.result, scan.unread) == (ScanResult.UNREADABLE, Unread.NO_SERIAL)
        scan_id = scan.id
    queue = client.get(f"/clerk/assembly/{period_id}/review").get_data(as_text=True)
    assert 'data-testid="serial-form"' in queue

    def typed(text: str) -> str:
        answer = client.post(
            f"/clerk/assembly/{period_id}/scans/{scan_id}/serial",
            data={"serial": text},
            follow_redirects=True,
        )
        return answer.get_data(as_text=True)

    line = layout.printed_serial(serial)
    wrong_check = line[:-1] + next(c for c in layout.SERIAL_ALPHABET if c != line[-1])
    assert 'data-kind="refused"' in typed(wrong_check)
    assert 'data-kind="refused"' in typed("HELLO")
    assert 'data-kind="refused"' in typed(layout.printed_serial(serials[units[3]])[:-2] + "AB")
    with unit(app) as s:
        assert s.get(BallotScan, scan_id).result is ScanResult.UNREADABLE  # type: ignore[union-attr]
        assert not s.scalars(select(UnitBallot)).all()
    done = typed(line)
    assert 'data-kind="done"' in done
    with unit(app) as s:
        scan = s.get(BallotScan, scan_id)
        assert scan is not None and scan.result is ScanResult.COUNTED
        assert (scan.serial, scan.serial_typed_by) == (serial, "clerk")
        ballots = s.scalars(select(UnitBallot).where(UnitBallot.unit_id == units[2])).all()
        assert {b.matter_id: b.choice.value for b in ballots} == {
            matters[0]: CHOICES[stained.truth[0]],  # type: ignore[index]
            matters[1]: CHOICES[stained.truth[1]],  # type: ignore[index]
        }
        assert all(b.by == "clerk" and b.evidence.endswith("typed") for b in ballots)
    # The same serial typed again, or the page photographed again, is counted twice: refused.
    assert 'data-kind="refused"' in typed(line)
    again = generate(5102, kinds=("tick_pen", "cross"), serial=serial, torn=False)
    assert 'data-kind="refused"' in upload(client, period_id, ("again.jpg", again.jpeg))


def dispute(client: object, period_id: int, scan_id: int, matter: int, **form: str) -> str:
    answer = client.post(  # type: ignore[attr-defined]
        f"/clerk/assembly/{period_id}/scans/{scan_id}/matters/{matter}/dispute",
        data=form,
        follow_redirects=True,
    )
    return str(answer.get_data(as_text=True))


def counted_page(app: Flask, clock: Clock) -> tuple[int, list[int], int, int, tuple[int, ...]]:
    """A period with one page read and counted: period, matters, unit, scan, the truth."""
    period_id, matters, units = opened(app, clock)
    client = logged_in(app, "clerk")
    serials = printed(app, client, period_id)
    jpeg, truth = photo(serials[units[0]], ("tick_pen", "cross"))
    upload(client, period_id, ("ballot.jpg", jpeg))
    with unit(app) as s:
        scan_id = s.scalars(select(BallotScan.id)).one()
    return period_id, matters, units[0], scan_id, truth  # type: ignore[return-value]


def standing(app: Flask, unit_id: int, matter_id: int) -> list[str]:
    with unit(app) as s:
        rows = s.scalars(
            select(UnitBallot.choice).where(
                UnitBallot.unit_id == unit_id,
                UnitBallot.matter_id == matter_id,
                UnitBallot.standing,
            )
        ).all()
    return [c.value for c in rows]


def test_the_clerk_changes_a_value_read_with_a_reason_both_are_kept_and_the_count_follows(
    app: Flask, clock: Clock
) -> None:
    period_id, matters, unit_id, scan_id, truth = counted_page(app, clock)
    client = logged_in(app, "clerk")
    read = CHOICES[truth[0]]
    other = next(c for c in CHOICES if c != read)
    page = client.get(f"/clerk/assembly/{period_id}/scans/{scan_id}").get_data(as_text=True)
    assert page.count('data-testid="dispute-form"') == 2
    crop = client.get(f"/clerk/assembly/{period_id}/scans/{scan_id}/matters/1/crop.png")
    assert crop.status_code == 200 and crop.data.startswith(b"\x89PNG")
    crop.close()

    assert 'data-kind="refused"' in dispute(
        client, period_id, scan_id, 1, decision=other, reason=" "
    )
    assert 'data-kind="refused"' in dispute(
        client, period_id, scan_id, 1, decision=read, reason="x"
    )
    assert standing(app, unit_id, matters[0]) == [read]
    said = dispute(client, period_id, scan_id, 1, decision=other, reason="墨迹透到了旁边的框")
    assert 'data-kind="done"' in said and "墨迹透到了旁边的框" in said
    assert standing(app, unit_id, matters[0]) == [other]
    report = client.get(f"/clerk/assembly/{period_id}/ballots").get_data(as_text=True)
    assert 'data-testid="report-changed">1<' in report  # the report's "read wrongly"
    assert f'/scans/{scan_id}" data-testid="unit-page-link"' in report  # from the unit's line
    with unit(app) as s:
        rows = s.scalars(select(UnitBallot).where(UnitBallot.matter_id == matters[0])).all()
        assert sorted((r.choice.value, r.standing) for r in rows) == sorted(
            [(read, False), (other, True)]
        )
        assert all(r.channel is Channel.PAPER for r in rows)
        kept = s.scalars(select(BallotDispute)).one()
        assert (kept.read_choice.value, kept.decision.value, kept.decided_by) == (
            read,
            other,
            "clerk",
        )
        audited = s.scalars(
            select(AuditEntry).where(AuditEntry.subject.like("ballot_disputes%"))
        ).all()
        assert audited and "墨迹透到了旁边的框" in audited[0].detail
    # "No valid choice": nothing stands for the matter; then back to the reader's value.
    dispute(client, period_id, scan_id, 1, decision="invalid", reason="两个框都像打了勾")
    assert standing(app, unit_id, matters[0]) == []
    dispute(client, period_id, scan_id, 1, decision=read, reason="复核原票，确为原读数")
    assert standing(app, unit_id, matters[0]) == [read]

    # Closed: the kept preliminary follows a dispute in the counting stage; published: refused.
    with app.app_context():
        assembly.close_period(period_id, "clerk")
    dispute(
        client, period_id, scan_id, 2, decision="abstain" if truth[1] != 2 else "for", reason="r"
    )
    with unit(app) as s:
        period = s.get(VotingPeriod, period_id)
        assert period is not None and period.preliminary is not None
    with app.app_context():
        assembly.publish_preliminary(period_id, "clerk")
    before = standing(app, unit_id, matters[0])
    refused = dispute(client, period_id, scan_id, 1, decision=other, reason="too late")
    assert 'data-kind="refused"' in refused and ("objection" in refused or "异议" in refused)
    assert standing(app, unit_id, matters[0]) == before
    closed = client.get(f"/clerk/assembly/{period_id}/scans/{scan_id}").get_data(as_text=True)
    assert 'data-testid="disputes-closed"' in closed and 'data-testid="dispute-form"' not in closed


@pytest.mark.skipif(server_url() is not None, reason="restores the SQLite file")
def test_restore_puts_the_ballot_images_back_checked_and_a_disputed_page_shows_again(
    app: Flask, clock: Clock, tmp_path: Path
) -> None:
    period_id, _, _, scan_id, truth = counted_page(app, clock)
    client = logged_in(app, "clerk")
    dispute(client, period_id, scan_id, 1, decision=CHOICES[(truth[0] + 1) % 3], reason="复核")
    image = client.get(f"/clerk/assembly/{period_id}/scans/{scan_id}/image")
    original = image.data
    image.close()
    runner = app.test_cli_runner()
    target = tmp_path.parent / f"{tmp_path.name}-usb" / "yishi-backup.db"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    scans = Path(app.instance_path) / "ballot-scans"

    # The instance is lost: its database and its images.
    app.extensions["yishi.storage"].engine.dispose()
    database = Path(app.instance_path) / "yishi.db"
    for path in (database, database.with_name("yishi.db-wal"), database.with_name("yishi.db-shm")):
        path.unlink(missing_ok=True)
    shutil.rmtree(scans)

    # A backup whose image was changed is refused before anything is put back.
    kept = target.parent / "ballot-scans"
    (name,) = [p.name for p in kept.iterdir() if p.suffix == ".img"]
    shutil.copy(kept / name, tmp_path / "good.img")
    (kept / name).write_bytes(b"changed")
    failed = runner.invoke(args=["restore", "--yes", str(target)])
    assert failed.exit_code == 2 and "not the one scanned" in failed.output
    assert not scans.exists() and not database.exists()

    shutil.copy(tmp_path / "good.img", kept / name)
    restored = runner.invoke(args=["restore", "--yes", str(target)])
    assert restored.exit_code == 0, restored.output
    assert "ballot images" in restored.output
    assert hashlib.sha256((scans / name).read_bytes()).hexdigest() == name.removesuffix(".img")
    again = client.get(f"/clerk/assembly/{period_id}/scans/{scan_id}/image")
    assert again.status_code == 200 and again.data == original
    again.close()
    page = client.get(f"/clerk/assembly/{period_id}/scans/{scan_id}").get_data(as_text=True)
    assert 'data-testid="matter-dispute"' in page and "复核" in page
