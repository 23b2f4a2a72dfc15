"""The preparation workspace's routes: a meeting created and corrected in forms (refused in
words when a field is wrong), its rules of order, agenda and draft polls; each change audited."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from meeting_room.clock import local
from meeting_room.domain.words import ItemStatus, MeetingStatus, PollStatus
from meeting_room.meetings.meetings import eligible_members, is_eligible
from meeting_room.store.models.audit import AuditEntry
from meeting_room.store.models.floor import AgendaItem
from meeting_room.store.models.meetings import Meeting
from meeting_room.store.models.records import ItemSummary
from meeting_room.store.models.roster import Member
from meeting_room.store.models.voting import Poll
from tests.conftest import Clock, unit


def meeting_form(clock: Clock, **changes: object) -> dict[str, object]:
    """A valid meeting form, starting ten days from the app's clock (the hall's local time)."""
    start = clock.now + timedelta(days=10)
    with_zone = start.astimezone(local_zone())
    form: dict[str, object] = {
        "title": "3栋楼道改造协商会",
        "date": with_zone.strftime("%Y-%m-%d"),
        "time": "19:30",
        "venue": "幸福里社区议事厅",
        "eligibility": "owners",
        "quorum": "art278",
        "max_proxies_per_person": "2",
    }
    form.update(changes)
    return form


def local_zone() -> ZoneInfo:
    return ZoneInfo("Asia/Shanghai")


def kinds(app: Flask, subject: str) -> list[str]:
    with unit(app) as session:
        return list(
            session.scalars(
                select(AuditEntry.kind)
                .where(AuditEntry.subject == subject)
                .order_by(AuditEntry.seq)
            )
        )


def create(client: FlaskClient, clock: Clock, **changes: object) -> int:
    answer = client.post("/clerk/prepare/new", data=meeting_form(clock, **changes))
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return int(answer.headers["Location"].rsplit("/", 1)[-1])


def test_a_meeting_made_in_the_form_is_stored_as_asked_and_audited(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    meeting_id = create(client, clock)
    with unit(app) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        assert meeting.title == "3栋楼道改造协商会"
        assert local(meeting.starts_at).strftime("%H:%M") == "19:30"
        assert sorted(meeting.eligible_groups) == ["业主", "业委会"]
        assert (meeting.quorum_headcount, meeting.quorum_area) == ("2/3", "2/3")
        assert meeting.max_proxies_per_person == 2
    assert kinds(app, f"meetings:{meeting_id}") == ["meetings.insert"]
    page = client.get(f"/clerk/prepare/{meeting_id}").get_data(as_text=True)
    assert 'value="3栋楼道改造协商会"' in page


def test_a_wrong_form_is_answered_in_words_and_keeps_what_was_typed(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    answer = client.post(
        "/clerk/prepare/new?lang=en",
        data=meeting_form(clock, title="", date="2026-02-31", quorum="custom", quorum_area="3/2"),
    )
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert "Meeting title: please fill this in." in page
    assert "Date: please give a date and a time." in page
    assert 'value="幸福里社区议事厅"' in page  # the venue typed is still there
    with unit(app) as session:
        assert session.scalars(select(Meeting)).all() == []


def test_a_share_above_one_is_refused_in_words(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    answer = client.post(
        "/clerk/prepare/new?lang=en",
        data=meeting_form(clock, quorum="custom", quorum_headcount="3/2"),
    )
    assert "The quorum 3/2 is not a share such as 2/3." in answer.get_data(as_text=True)


def test_a_correction_is_saved_audited_and_refused_once_the_meeting_began(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    meeting_id = create(client, clock)
    done = client.post(
        f"/clerk/prepare/{meeting_id}/details?lang=en",
        data=meeting_form(clock, venue="二楼会议室", eligibility="all", quorum="half"),
    )
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "The meeting is saved." in page
    with unit(app) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        assert (meeting.venue, meeting.eligible_groups) == ("二楼会议室", [])
        assert (meeting.quorum_headcount, meeting.quorum_area) == ("1/2", None)
        meeting.status = MeetingStatus.OPEN
    assert kinds(app, f"meetings:{meeting_id}")[:2] == ["meetings.insert", "meetings.update"]
    refused = client.post(
        f"/clerk/prepare/{meeting_id}/details?lang=en",
        data=meeting_form(clock, venue="别处"),
    )
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "has already begun: its preparation can no longer change" in page
    with unit(app) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None and meeting.venue == "二楼会议室"


def test_the_rules_of_order_presets_and_custom_values(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    meeting_id = create(client, clock)
    url = f"/clerk/prepare/{meeting_id}/rules"
    client.post(url, data={"preset": "three_minutes_once", "warning_s": "20"})
    with unit(app) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        assert (meeting.speech_limit_s, meeting.max_speeches, meeting.alternate) == (180, 1, False)
        assert meeting.warning_s == 20
    client.post(
        url,
        data={
            "preset": "custom",
            "speech_limit_s": "90",
            "max_speeches": "",
            "alternate": "1",
            "warning_s": "15",
            "auto_stop": "1",
        },
    )
    with unit(app) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        assert (meeting.speech_limit_s, meeting.max_speeches) == (90, None)
        assert (meeting.first_timers_first, meeting.alternate, meeting.auto_stop) == (
            False,
            True,
            True,
        )
    refused = client.post(
        f"{url}?lang=en", data={"preset": "custom", "speech_limit_s": "5", "warning_s": "0"}
    )
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Speaking limit (seconds): please give a whole number in range." in page
    page = client.get(f"/clerk/prepare/{meeting_id}").get_data(as_text=True)
    assert 'value="custom" checked' in page


def agenda(app: Flask, meeting_id: int) -> list[tuple[int, str]]:
    """The meeting's items in order, as (id, title)."""
    with unit(app) as session:
        return [
            (item.id, item.title)
            for item in session.scalars(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting_id)
                .order_by(AgendaItem.position)
            )
        ]


def items(app: Flask, meeting_id: int) -> list[str]:
    return [title for _, title in agenda(app, meeting_id)]


def item_ids(app: Flask, meeting_id: int) -> list[int]:
    return [item_id for item_id, _ in agenda(app, meeting_id)]


def test_the_agenda_is_added_to_corrected_reordered_and_shortened(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    meeting_id = create(client, clock)
    base = f"/clerk/prepare/{meeting_id}/agenda"
    for title in ("楼道照明", "电动车充电", "垃圾分类"):
        client.post(base, data={"title": title, "planned_minutes": "15", "kind": "discussion"})
    first, second, third = item_ids(app, meeting_id)
    client.post(f"{base}/{second}", data={"title": "电动车集中充电", "planned_minutes": "20"})
    client.post(f"{base}/{third}/move", data={"direction": "up", "order": [first, second, third]})
    assert items(app, meeting_id) == ["楼道照明", "垃圾分类", "电动车集中充电"]
    client.post(f"{base}/{first}/remove")
    assert items(app, meeting_id) == ["垃圾分类", "电动车集中充电"]
    assert kinds(app, f"agenda_items:{first}") == [
        "agenda_items.insert",
        "agenda_items.delete",
    ]
    with unit(app) as session:
        positions = session.scalars(
            select(AgendaItem.position).where(AgendaItem.meeting_id == meeting_id)
        ).all()
        assert sorted(positions) == [1, 2]


def test_an_item_once_discussed_stays_on_the_agenda(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    meeting_id = create(client, clock)
    client.post(f"/clerk/prepare/{meeting_id}/agenda", data={"title": "楼道照明"})
    (item_id,) = item_ids(app, meeting_id)
    with unit(app) as session:
        item = session.get(AgendaItem, item_id)
        assert item is not None
        item.status = ItemStatus.DONE
    refused = client.post(f"/clerk/prepare/{meeting_id}/agenda/{item_id}/remove?lang=en")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "has already been under discussion: it stays on the agenda" in page
    assert items(app, meeting_id) == ["楼道照明"]


def polls(app: Flask, meeting_id: int) -> list[Poll]:
    with unit(app) as session:
        return list(session.scalars(select(Poll).where(Poll.meeting_id == meeting_id)))


def test_a_draft_poll_is_added_corrected_and_removed_on_an_item(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    meeting_id = create(client, clock)
    client.post(f"/clerk/prepare/{meeting_id}/agenda", data={"title": "加装电梯"})
    (item_id,) = item_ids(app, meeting_id)
    base = f"/clerk/prepare/{meeting_id}/polls"
    client.post(
        base,
        data={
            "question": "是否同意加装电梯？",
            "item_id": str(item_id),
            "kind": "yes_no",
            "eligibility": "owners",
            "rule": "art278_ordinary",
            "weighting": "headcount",
            "secret": "1",
        },
    )
    (poll,) = polls(app, meeting_id)
    assert (poll.item_id, poll.rule, poll.secret, poll.status) == (
        item_id,
        "art278_ordinary",
        True,
        PollStatus.DRAFT,
    )
    client.post(
        f"{base}/{poll.id}",
        data={
            "question": "选择电梯品牌",
            "item_id": str(item_id),
            "kind": "choice",
            "options": "甲\n乙\n丙",
            "max_choices": "1",
            "eligibility": "all",
            "rule": "simple_majority",
            "weighting": "headcount",
        },
    )
    (poll,) = polls(app, meeting_id)
    assert (poll.question, poll.options, poll.secret) == ("选择电梯品牌", ["甲", "乙", "丙"], False)
    client.post(f"{base}/{poll.id}/remove")
    assert polls(app, meeting_id) == []
    assert kinds(app, f"polls:{poll.id}") == ["polls.insert", "polls.update", "polls.delete"]


def test_a_wrong_draft_poll_is_refused_in_words(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    meeting_id = create(client, clock)
    answer = client.post(
        f"/clerk/prepare/{meeting_id}/polls?lang=en",
        data={
            "question": "是否同意？",
            "kind": "yes_no",
            "eligibility": "all",
            "rule": "art278_major",
            "weighting": "headcount",
        },
    )
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "A vote under Civil Code art. 278 is decided by the owners" in page
    assert polls(app, meeting_id) == []


def test_an_opened_poll_can_no_longer_be_corrected(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    meeting_id = create(client, clock)
    client.post(
        f"/clerk/prepare/{meeting_id}/polls",
        data={"question": "是否同意？", "eligibility": "all", "rule": "simple_majority"},
    )
    (poll,) = polls(app, meeting_id)
    with unit(app) as session:
        stored = session.get(Poll, poll.id)
        assert stored is not None
        stored.status = PollStatus.OPEN
    answer = client.post(
        f"/clerk/prepare/{meeting_id}/polls/{poll.id}/remove?lang=en",
    )
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "This vote has already been opened." in page
    assert len(polls(app, meeting_id)) == 1


def test_the_workspace_is_for_staff_only(stranger: FlaskClient) -> None:
    answer = stranger.get("/clerk/prepare")
    assert answer.status_code in (302, 303, 401)


def test_a_meeting_of_some_buildings_counts_only_their_members(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    meeting_id = create(client, clock, eligibility="all", buildings=["1栋", "2栋"])
    with unit(app) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None and meeting.eligible_buildings == ["1栋", "2栋"]
        base = eligible_members(session, meeting)
        assert base and {m.building for m in base} == {"1栋", "2栋"}
        outsider = session.scalars(select(Member).where(Member.building == "3栋")).first()
        assert outsider is not None and not is_eligible(meeting, outsider)
    page = client.get(f"/clerk/prepare/{meeting_id}").get_data(as_text=True)
    assert 'value="1栋" checked' in page and 'value="3栋" checked' not in page
    shown = client.get(f"/api/v1/meetings/{meeting_id}").get_json()
    assert shown["eligible_buildings"] == ["1栋", "2栋"]
    assert shown["attendance"]["clauses"][0]["total"] == str(len(base))


def test_an_item_with_something_on_record_stays_even_if_never_started(
    app: Flask, client: FlaskClient, clock: Clock
) -> None:
    meeting_id = create(client, clock)
    client.post(f"/clerk/prepare/{meeting_id}/agenda", data={"title": "楼道照明"})
    (item_id,) = item_ids(app, meeting_id)
    with unit(app) as session:
        session.add(
            ItemSummary(item_id=item_id, text="已讨论", written_by="王记录", written_at=clock.now)
        )
    refused = client.post(f"/clerk/prepare/{meeting_id}/agenda/{item_id}/remove?lang=en")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "it stays on the agenda" in page
    assert items(app, meeting_id) == ["楼道照明"]
