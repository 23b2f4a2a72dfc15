"""The topics' screens: the staff's /clerk/topics (enter, review, library) in plain forms, the
board's and the phone's pages; refusals said on the page, nothing half-written."""

from __future__ import annotations

from flask import Flask

from meeting_room.store.models.meetings import Meeting
from tests.conftest import logged_in
from tests.web.topics.conftest import Resident
from tests.web.topics.test_topics_api import propose, sign


def test_staff_enter_a_topic_from_the_suggestion_box_and_see_it_listed(
    app: Flask, categories: dict[str, int]
) -> None:
    clerk = logged_in(app, "clerk")
    answer = clerk.post(
        "/clerk/topics/new",
        data={
            "title": "小区东门夜间照明不足",
            "body": "路灯坏了三盏",
            "category_id": categories["安全"],
            "source": "suggestion_box",
            "source_note": "意见箱 12月第1周",
            "scope": "compound",
            "threshold_percent": "30",
        },
        follow_redirects=True,
    )
    page = answer.get_data(as_text=True)
    assert "小区东门夜间照明不足" in page
    assert "已录入" in page or "is entered" in page
    topics = app.test_client().get("/api/v1/topics").get_json()["topics"]
    assert (topics[0]["source"], topics[0]["households"], topics[0]["needed"]) == (
        "suggestion_box",
        485,
        146,
    )


def test_a_topic_written_for_a_resident_records_the_clerk_as_scribe(
    app: Flask, categories: dict[str, int], residents: list[Resident]
) -> None:
    from sqlalchemy import select

    from meeting_room.store.models.roster import Member
    from meeting_room.store.models.topics import Topic
    from tests.conftest import unit

    with unit(app) as session:
        number = session.scalar(select(Member.member_no).where(Member.id == residents[3].id))
    clerk = logged_in(app, "clerk")
    clerk.post(
        "/clerk/topics/new",
        data={
            "title": "电梯老旧需要更换",
            "category_id": categories["电梯"],
            "source": "grid_visit",
            "scope": "unit",
            "scope_building": "3栋",
            "scope_unit": "2单元",
            "proposer_no": number,
        },
    )
    with unit(app) as session:
        topic = session.scalars(select(Topic)).one()
        assert (topic.proposer_member_id, topic.scribe) == (residents[3].id, "clerk")


def test_a_refused_review_is_said_on_the_page(
    app: Flask, meeting: Meeting, categories: dict[str, int], residents: list[Resident]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    clerk = logged_in(app, "clerk")
    page = clerk.post(
        f"/clerk/topics/{topic['id']}/accept",
        data={"meeting_id": meeting.id, "kind": "discussion", "reason": ""},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "尚未达到联署门槛" in page or "not reached its co-signing threshold" in page
    page = clerk.post(
        f"/clerk/topics/{topic['id']}/decline", data={"reason": ""}, follow_redirects=True
    ).get_data(as_text=True)
    assert "理由" in page or "write the reason" in page
    assert app.test_client().get("/api/v1/topics").get_json()["topics"][0]["status"] == (
        "collecting"
    )


def test_staff_accept_onto_a_meeting_from_the_screen(
    app: Flask, meeting: Meeting, categories: dict[str, int], residents: list[Resident]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    for who in residents[1:6]:
        sign(app, topic["id"], who)
    clerk = logged_in(app, "clerk")
    clerk.post(
        f"/clerk/topics/{topic['id']}/accept",
        data={"meeting_id": meeting.id, "kind": "discussion", "reason": "联署已达标"},
    )
    listed = app.test_client().get("/board/topics").get_data(as_text=True)
    assert "联署已达标" in listed


def test_the_library_is_seeded_and_staff_mark_and_add_categories(
    app: Flask, categories: dict[str, int]
) -> None:
    assert list(categories) == ["停车", "电梯", "物业服务", "维修资金", "绿化环境", "安全", "其他"]
    clerk = logged_in(app, "clerk")
    clerk.post(
        f"/clerk/topics/categories/{categories['停车']}",
        data={"name": "停车", "must_consult": "on", "active": "on"},
    )
    clerk.post("/clerk/topics/categories/new", data={"name": "加装电梯"})
    again = clerk.post(
        "/clerk/topics/categories/new", data={"name": "加装电梯"}, follow_redirects=True
    )
    assert "加装电梯" in again.get_data(as_text=True)
    library = app.test_client().get("/api/v1/topic-categories").get_json()["categories"]
    by_name = {c["name"]: c for c in library}
    assert by_name["停车"]["must_consult"] is True
    assert "加装电梯" in by_name
    assert sum(1 for c in library if c["name"] == "加装电梯") == 1


def test_the_phone_page_offers_to_sign_only_topics_of_the_household(
    app: Flask, meeting: Meeting, categories: dict[str, int], residents: list[Resident]
) -> None:
    from tests.web.topics.conftest import residents_of

    propose(app, residents[0], categories["安全"])
    mine = app.test_client().get(f"/v/{residents[1].token}/topics").get_data(as_text=True)
    assert 'data-testid="sign-topic"' in mine
    own = app.test_client().get(f"/v/{residents[0].token}/topics").get_data(as_text=True)
    assert 'data-testid="signed-topic"' in own and 'data-testid="sign-topic"' not in own
    other = residents_of(app, meeting.id, "5栋", "1单元")[0]
    theirs = app.test_client().get(f"/v/{other.token}/topics").get_data(as_text=True)
    assert 'data-testid="sign-topic"' not in theirs
    assert "单元门禁经常坏" in theirs


def test_residents_cannot_open_the_staff_screen(app: Flask) -> None:
    assert app.test_client().get("/clerk/topics").status_code in (302, 401, 403)


def test_the_minutes_carry_the_item_s_source_and_signatures(
    app: Flask, meeting: Meeting, categories: dict[str, int], residents: list[Resident]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    for who in residents[1:7]:
        sign(app, topic["id"], who)
    clerk = logged_in(app, "clerk")
    accepted = clerk.post(
        f"/api/v1/topics/{topic['id']}/accept",
        json={"meeting_id": meeting.id, "reason": "", "by": "clerk"},
    ).get_json()
    minutes = clerk.get(f"/api/v1/meetings/{meeting.id}/minutes").get_json()
    (item,) = [i for i in minutes["items"] if i["id"] == accepted["agenda_item_id"]]
    assert item["origin"] == {
        "topic_id": topic["id"],
        "source": "phone",
        "proposer_place": "3栋2单元",
        "signatures": 7,
        "signed_households": 7,
        "households": 20,
        "needed": 6,
        "threshold_percent": "30",
    }
    page = clerk.get(f"/board/meetings/{meeting.id}/minutes?lang=en").get_data(as_text=True)
    assert (
        f"From topic no. {topic['id']}: Resident, on their phone (3栋2单元). Co-signed by 7 "
        "members of 7 of the 20 households concerned"
    ) in page


def test_staff_enter_a_paper_co_signing_sheet_refusing_lines_in_words(
    app: Flask, categories: dict[str, int], residents: list[Resident]
) -> None:
    from sqlalchemy import select

    from meeting_room.store.models.roster import Member
    from meeting_room.store.models.topics import TopicSignature
    from tests.conftest import unit

    topic = propose(app, residents[0], categories["安全"])
    with unit(app) as session:
        numbers = {
            m.id: m.member_no
            for m in session.scalars(select(Member).where(Member.id.in_([r.id for r in residents])))
        }
    sheet = (
        f"{numbers[residents[1].id]}，{numbers[residents[2].id]} {numbers[residents[0].id]} X999"
    )
    page = (
        logged_in(app, "clerk")
        .post(f"/clerk/topics/{topic['id']}/paper", data={"numbers": sheet}, follow_redirects=True)
        .get_data(as_text=True)
    )
    assert "2" in page and ("纸质联署" in page or "paper sheet" in page)
    assert f"{numbers[residents[0].id]}: " in page  # the proposer signed already
    assert "X999: " in page
    with unit(app) as session:
        rows = session.scalars(
            select(TopicSignature).where(TopicSignature.topic_id == topic["id"])
        ).all()
        assert sorted((r.channel.value, r.scribe) for r in rows) == [
            ("clerk", "clerk"),
            ("clerk", "clerk"),
            ("phone", None),
        ]


def test_the_notice_board_shows_the_open_topics_and_the_lobby_gives_each_a_slide(
    app: Flask, residents: list[Resident], categories: dict[str, int]
) -> None:
    topic = propose(app, residents[0], categories["安全"])
    assert sign(app, topic["id"], residents[1])[0] == 201
    board = app.test_client().get("/board?lang=zh_CN").get_data(as_text=True)
    assert board.count('data-testid="board-open-topic"') == 1
    assert "单元门禁经常坏" in board and "已有 2 / 20 户联署；需 6 户（30%）。" in board
    assert 'href="/board/topics"' in board  # where to co-sign or propose, with the code

    lobby = app.test_client().get("/board?slideshow=1&lang=en").get_data(as_text=True)
    card = lobby[lobby.index('data-testid="board-open-topic"') :]
    card = card[: card.index("</article>")]
    assert "2 of 20 households have signed; 6 needed (30%)." in card
    assert "Co-sign it at the sign-in kiosk or on your phone page." in card
    assert "<article" not in card and 'data-slide data-testid="board-open-topic"' in lobby

    # Declined: answered on /board/topics, no longer among those collecting signatures.
    clerk = logged_in(app, "clerk")
    answer = clerk.post(
        f"/api/v1/topics/{topic['id']}/decline", json={"reason": "已转物业处理", "by": "clerk"}
    )
    assert answer.status_code == 200, answer.get_json()
    board = app.test_client().get("/board?lang=zh_CN").get_data(as_text=True)
    assert 'data-testid="board-open-topic"' not in board and "单元门禁经常坏" not in board
    assert "暂无正在征集联署的议题。" in board
