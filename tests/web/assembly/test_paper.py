"""Paper ballots through the real app: printing gives every unit a serial, deliveries are
recorded and shown to the live view, photos are read and counted per unit, a serial counted
twice or of another period is refused in words, and the clerk's decisions are recorded with
their name and audited."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.assembly import deliveries
from meeting_room.assembly import service as assembly
from meeting_room.domain.assembly import Channel
from meeting_room.domain.paper import ScanResult
from meeting_room.paper import service as paper
from meeting_room.store.models.assembly import ExclusiveUnit, UnitBallot, VotingPeriod
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.paper import BallotScan, MarkReview, PaperBallot
from tests.conftest import Clock, logged_in, unit
from tests.support.ballot_scans import generate
from tests.web.assembly.test_period import opened


def printed(app: Flask, client: FlaskClient, period_id: int, pdf: bool = False) -> dict[int, str]:
    """Print the batch (through the screen when ``pdf``); each unit id's serial."""
    if pdf:
        response = client.get(f"/clerk/assembly/{period_id}/ballots.pdf")
        assert response.status_code == 200
        assert response.data.startswith(b"%PDF")
    else:
        with app.app_context():
            paper.print_batch(period_id, "clerk")
    with unit(app) as s:
        ballots = s.scalars(select(PaperBallot).where(PaperBallot.period_id == period_id))
        return {b.unit_id: b.serial for b in ballots}


def upload(client: FlaskClient, period_id: int, *pages: tuple[str, bytes]) -> str:
    """Upload photos on the scan form; the page it comes back to."""
    import io

    data = {"pages": [(io.BytesIO(body), name) for name, body in pages]}
    response = client.post(
        f"/clerk/assembly/{period_id}/scans",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def photo(
    serial: str, kinds: tuple[str, ...], index: int = 5001
) -> tuple[bytes, tuple[int | None, ...]]:
    """A generated photo of ``serial``'s ballot marked with ``kinds``, and its truth."""
    scan = generate(index, kinds=kinds, serial=serial, torn=False)
    return scan.jpeg, scan.truth


def test_printing_gives_every_unit_one_random_serial_and_a_reprint_keeps_them(
    app: Flask, clock: Clock
) -> None:
    period_id, _, units = opened(app, clock)
    client = logged_in(app, "clerk")
    first = printed(app, client, period_id, pdf=True)
    assert set(first) == set(units)
    assert len(set(first.values())) == len(units)
    assert printed(app, client, period_id) == first
    page = client.get(f"/clerk/assembly/{period_id}/ballots").get_data(as_text=True)
    assert next(iter(first.values())) in page


def test_a_delivery_is_recorded_with_who_and_when_and_the_live_view_sees_it(
    app: Flask, clock: Clock
) -> None:
    period_id, _, units = opened(app, clock)
    client = logged_in(app, "clerk")
    printed(app, client, period_id)
    with unit(app) as s:
        ballot = s.scalars(select(PaperBallot).where(PaperBallot.unit_id == units[0])).one()
        ballot_id = ballot.id
    response = client.post(
        f"/clerk/assembly/{period_id}/ballots/{ballot_id}/delivery",
        data={"delivery": "left", "delivered_by": "王志愿者", "delivered_at": "2026-03-02T10:30"},
        follow_redirects=True,
    )
    assert "王志愿者" in response.get_data(as_text=True)
    with unit(app) as s:
        assert deliveries.delivery_status(s, period_id) == {units[0]: "left"}
        ballot = s.get(PaperBallot, ballot_id)
        assert ballot is not None and ballot.delivery_recorded_by == "clerk"
        audited = s.scalars(select(AuditEntry).where(AuditEntry.subject.like("paper_ballots%")))
        assert any("王志愿者" in entry.detail for entry in audited)
    refused = client.post(
        f"/clerk/assembly/{period_id}/ballots/{ballot_id}/delivery",
        data={"delivery": "handed", "delivered_by": "", "delivered_at": "2026-03-02T10:30"},
        follow_redirects=True,
    )
    assert 'data-kind="refused"' in refused.get_data(as_text=True)
    lists = client.get(f"/clerk/assembly/{period_id}/deliveries.pdf")
    assert lists.data.startswith(b"%PDF")
    # The delivery record is kept with the period's count and published with its result.
    with app.app_context():
        assembly.close_period(period_id, "clerk")
        assembly.publish_preliminary(period_id, "clerk")
    with unit(app) as s:
        period = s.get(VotingPeriod, period_id)
        assert period is not None and period.preliminary is not None
        record = period.preliminary["deliveries"]
    assert (record["left"], record["handed"], record["none"]) == (1, 0, len(units) - 1)
    assert record["units"][0]["by"] == "王志愿者"
    board = app.test_client().get(f"/board/assembly/{period_id}").get_data(as_text=True)
    assert "放在门口或信箱 1 户" in board


def test_a_photo_is_read_and_counted_for_its_unit_and_its_image_kept_under_its_hash(
    app: Flask, clock: Clock
) -> None:
    period_id, matters, units = opened(app, clock)
    client = logged_in(app, "clerk")
    serials = printed(app, client, period_id)
    jpeg, truth = photo(serials[units[1]], ("tick_pen", "cross"))
    page = upload(client, period_id, ("ballot-1.jpg", jpeg))
    assert "2 read, 0 to review" in page or "2 项已读" in page or "ballot-1.jpg" in page
    with unit(app) as s:
        ballots = s.scalars(select(UnitBallot).where(UnitBallot.unit_id == units[1])).all()
        scan = s.scalars(select(BallotScan)).one()
    choices = {b.matter_id: b.choice.value for b in ballots}
    assert choices == {matters[0]: ("for", "against", "abstain")[truth[0]],  # type: ignore[index]
                       matters[1]: ("for", "against", "abstain")[truth[1]]}  # type: ignore[index]  # fmt: skip
    assert all(b.channel is Channel.PAPER and b.standing for b in ballots)
    assert scan.result is ScanResult.COUNTED
    assert scan.sha256 == hashlib.sha256(jpeg).hexdigest()
    kept = Path(app.instance_path) / "ballot-scans" / scan.image_path
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == scan.sha256
    listed = client.get(f"/clerk/assembly/{period_id}/ballots").get_data(as_text=True)
    assert f"/clerk/assembly/{period_id}/scans/{scan.id}/image" in listed
    assert scan.sha256[:12] in listed
    shown = client.get(f"/clerk/assembly/{period_id}/scans/{scan.id}/image")
    assert shown.data == jpeg and shown.mimetype == "image/jpeg"


def test_a_serial_counted_twice_or_of_another_period_is_refused_in_words(
    app: Flask, clock: Clock
) -> None:
    period_id, _, units = opened(app, clock)
    client = logged_in(app, "clerk")
    serials = printed(app, client, period_id)
    jpeg, _ = photo(serials[units[2]], ("tick_pen", "fill"))
    upload(client, period_id, ("first.jpg", jpeg))
    again, _ = photo(serials[units[2]], ("cross", "cross"), index=5002)  # a copy, marked again
    page = upload(client, period_id, ("again.jpg", again))
    assert "已经计过票" in page or "counted already" in page
    with app.app_context():
        other = assembly.create_period(
            assembly.PeriodDraft(
                title="另一次表决", opens_at=clock.now,
                closes_at=clock.now.replace(year=clock.now.year + 1),
                matters=(assembly.MatterIn("别的事项", assembly.MatterKind.OTHER),
                         assembly.MatterIn("别的事项二", assembly.MatterKind.OTHER)),
            ),
            "clerk",
        )  # fmt: skip
        assembly.open_period(other, "clerk", assume_owners=True)
    other_serials = printed(app, client, other)
    foreign, _ = photo(next(iter(other_serials.values())), ("tick_pen", "tick_pen"))
    page = upload(client, period_id, ("foreign.jpg", foreign))
    assert "另一个表决期" in page or "another voting period" in page
    with unit(app) as s:
        results = [scan.result for scan in s.scalars(select(BallotScan).order_by(BallotScan.id))]
        paper = s.scalars(select(UnitBallot).where(UnitBallot.channel == Channel.PAPER)).all()
    assert results == [ScanResult.COUNTED, ScanResult.TWICE, ScanResult.WRONG_PERIOD]
    assert len(paper) == 2  # the first page's two matters, nothing from the refused pages


def test_not_a_photo_is_refused_in_words_and_nothing_is_kept(app: Flask, clock: Clock) -> None:
    period_id, _, _ = opened(app, clock)
    client = logged_in(app, "clerk")
    page = upload(client, period_id, ("notes.txt", b"not an image"))
    assert "notes.txt" in page and 'data-kind="refused"' in page
    with unit(app) as s:
        assert s.scalars(select(BallotScan)).all() == []


def test_a_disputed_mark_goes_to_the_clerk_who_decides_it_with_their_name_once(
    app: Flask, clock: Clock
) -> None:
    period_id, matters, units = opened(app, clock)
    client = logged_in(app, "clerk")
    serials = printed(app, client, period_id)
    jpeg, _ = photo(serials[units[3]], ("two", "tick_pen"))
    upload(client, period_id, ("disputed.jpg", jpeg))
    with unit(app) as s:
        review = s.scalars(select(MarkReview)).one()
        review_id = review.id
        assert review.matter_id == matters[0] and review.reason.value == "two"
        counted = s.scalars(select(UnitBallot).where(UnitBallot.unit_id == units[3])).all()
        assert [b.matter_id for b in counted] == [matters[1]]
    queue = client.get(f"/clerk/assembly/{period_id}/review").get_data(as_text=True)
    address = address_of(app, units[3])
    assert address in queue
    crop = client.get(f"/clerk/assembly/{period_id}/review/{review_id}/crop.png")
    assert crop.status_code == 200 and crop.data.startswith(b"\x89PNG")
    client.post(f"/clerk/assembly/{period_id}/review/{review_id}", data={"decision": "against"})
    again = client.post(
        f"/clerk/assembly/{period_id}/review/{review_id}",
        data={"decision": "for"},
        follow_redirects=True,
    )
    assert 'data-kind="refused"' in again.get_data(as_text=True)
    with unit(app) as s:
        decided = s.get(MarkReview, review_id)
        assert decided is not None and decided.decided_by == "clerk"
        assert decided.decision is not None and decided.decision.value == "against"
        ballot = s.scalars(
            select(UnitBallot).where(
                UnitBallot.unit_id == units[3], UnitBallot.matter_id == matters[0]
            )
        ).one()
        assert ballot.choice.value == "against" and ballot.by == "clerk"
        audited = s.scalars(select(AuditEntry).where(AuditEntry.subject.like("mark_reviews%")))
        assert any("against" in entry.detail and "clerk" in entry.detail for entry in audited)
    report = client.get(f"/clerk/assembly/{period_id}/ballots").get_data(as_text=True)
    assert 'data-testid="report-marks-read">1<' in report
    assert 'data-testid="report-review">1 ' in report


def address_of(app: Flask, unit_id: int) -> str:
    with unit(app) as s:
        found = s.get(ExclusiveUnit, unit_id)
        assert found is not None
        return found.address


def test_the_paper_screens_are_for_staff_only(app: Flask, clock: Clock) -> None:
    period_id, _, _ = opened(app, clock)
    stranger = app.test_client()
    for path in ("ballots", "ballots.pdf", "review", "deliveries.pdf"):
        response = stranger.get(f"/clerk/assembly/{period_id}/{path}")
        assert response.status_code in (302, 401, 403)


def test_a_folder_of_scans_is_counted_from_the_command_line_with_progress(
    app: Flask, clock: Clock, tmp_path: Path
) -> None:
    period_id, _, units = opened(app, clock)
    serials = printed(app, logged_in(app, "clerk"), period_id)
    folder = tmp_path / "scanner"
    folder.mkdir()
    for number, unit_id in enumerate(units[:3]):
        jpeg, _ = photo(serials[unit_id], ("tick_pen", "cross"), index=5100 + number)
        (folder / f"page-{number}.jpg").write_bytes(jpeg)
    (folder / "page-9.jpg").write_bytes((folder / "page-0.jpg").read_bytes())  # fed twice
    result = app.test_cli_runner().invoke(
        args=["paper-scan", "--period", str(period_id), "--folder", str(folder)]
    )
    assert "[4/4] page-9.jpg: refused: twice" in result.output
    assert "4 pages: 6 marks read, 0 to review, 1 refused" in result.output
    assert result.exit_code == 1
