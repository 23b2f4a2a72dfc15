"""Voice in Debian's Chromium against the real server and real espeak-ng: the kiosk reads its
screen aloud and greets by name (its topics and rating screens read themselves too, and follow
the moderator's voice settings live), the projector says its
countdown's cues at the right moments and the moderator's announcements, the phone's elder mode
reads each step of the ballot."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, expose, scan_burst, wait_joined
from tests.browser.test_floor import (
    MODERATOR,
    add_hand,
    open_console,
    open_projector,
    sign_in,
    start_item,
)
from tests.browser.test_follow_up import action, decision_on, hall_today
from tests.browser.test_kiosk import (
    WANG_JING,
    assert_elder_mode,
    find_wang_jing_by_initials,
    open_kiosk,
    screen,
    tap,
)
from tests.browser.test_projector_clerk import api, demo_meeting
from tests.browser.test_topics import unit_rows

pytestmark = pytest.mark.browser

LOG = "() => voice.log.map((e) => ({key: e.key, text: e.text, url: e.url, state: e.state}))"


def said(page: Page, key: str | None = None) -> list[dict[str, Any]]:
    """What the page's voice (static/js/voice.js, as ``window.voice``) has said, in order."""
    expose(page, "voice.js", "voice")
    entries: list[dict[str, Any]] = page.evaluate(LOG)
    return [e for e in entries if key is None or e["key"] == key]


def wait_for(page: Page, key: str, count: int = 1, timeout: float = 30_000) -> dict[str, Any]:
    """The ``count``-th utterance of ``key`` once its WAV's URL is known."""
    expose(page, "voice.js", "voice")
    page.wait_for_function(
        f"() => voice.log.filter((e) => e.key === {key!r} && e.url).length >= {count}",
        timeout=timeout,
    )
    return said(page, key)[count - 1]


def assert_audio(page: Page, url: str) -> None:
    """The WAV at ``url`` is served whole. Its address comes before the file: /audio/<name>
    waits 3 s for it, then says 404; on a busy box the one speech queue may take longer, so
    ask again (a failure guard of 60 s: the wait ends when the file is there)."""
    deadline = time.monotonic() + 60
    answer = page.request.get(page.evaluate("location.origin") + url)
    while answer.status == 404 and time.monotonic() < deadline:
        answer = page.request.get(page.evaluate("location.origin") + url)
    assert answer.status == 200 and answer.headers["content-type"] == "audio/wav"
    assert answer.body()[:4] == b"RIFF" and len(answer.body()) > 20_000


def test_the_kiosk_reads_its_screen_aloud_and_greets_the_attendee_by_name(
    live_server: LiveServer, page: Page
) -> None:
    open_kiosk(page, live_server)
    page.get_by_role("button", name="朗读").click()
    reading = wait_for(page, "read")
    assert reading["text"] == (
        "欢迎参会，请签到。有居民卡吗？请把卡上的二维码对准扫码器。"
        "没有卡？请选一种方式找到您的名字：按拼音首字母。按楼栋房号。输入汉字姓名。"
        "代他人签到（委托）。我不在名单上 · 来宾登记。评价已完成事项。提出或联署议题。"
    )
    assert_audio(page, reading["url"])
    assert page.get_by_role("button", name="朗读").bounding_box()["height"] >= 60  # type: ignore[index]

    # Elder mode: each new screen reads itself.
    find_wang_jing_by_initials(page)
    assert wait_for(page, "read", 2)["text"].startswith("请点姓名每个字的拼音首字母。")
    page.locator("[data-screen='pinyin'] .result", has_text=WANG_JING["address"]).click()
    screen(page, "confirm")
    tap(page, "tail", WANG_JING["tail"])
    screen(page, "done")
    greeting = wait_for(page, "greeting")
    assert greeting["text"] == "王静，签到成功"
    assert_audio(page, greeting["url"])
    # The done screen's own reading leaves the greeting to the server's voice.
    page.wait_for_function("() => voice.log.at(-1).key === 'read' && voice.log.at(-1).url")
    assert "签到成功" not in said(page, "read")[-1]["text"]

    page.get_by_role("button", name="我已收好").click()
    screen(page, "start")
    assert page.evaluate("voice.elder()") is True


def read_the_start(page: Page, flow: str) -> str:
    """A kiosk flow's start in elder mode (screenshot elder-<flow>-start.png): silent until its
    60 px 朗读 is tapped; then what it said (its WAV checked)."""
    aloud = page.get_by_role("button", name="朗读")
    assert aloud.bounding_box()["height"] >= 60  # type: ignore[index]
    assert_elder_mode(page, f"the {flow} kiosk's start")
    page.screenshot(path=str(ARTIFACTS / f"elder-{flow}-start.png"))
    assert said(page, "read") == []  # the start waits for 朗读
    aloud.click()
    start = wait_for(page, "read")
    assert_audio(page, start["url"])
    return str(start["text"])


def test_the_kiosk_s_topics_screens_read_themselves_aloud_in_elder_mode(
    live_server: LiveServer, page: Page
) -> None:
    meeting = demo_meeting(live_server)
    proposer, neighbour = unit_rows("3栋", "2单元")[:2]  # 20 households: 6 must co-sign
    title = "3栋2单元楼道灯常坏"
    page.goto(f"{live_server.url}/kiosk/topics?meeting={meeting}&lang=zh_CN")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    expect(page.locator("html")).to_have_class(re.compile(r"\belder\b"))
    assert read_the_start(page, "topics") == (
        "向议事会提出议题，或支持别人的议题。请把居民卡或签到条上的二维码对准扫描器。"
        "没有居民卡或签到条？请找服务台工作人员，他们可以为您代笔。"
    )

    # Each step reads itself: the digits, the list, the form, the list again with the thanks.
    scan_burst(page, f"YISHI:{proposer['member_id']}")
    screen(page, "tail")
    assert wait_for(page, "read", 2)["text"] == (
        f"您好，{proposer['name']}。请输入您手机号码的后四位。"
    )
    tap(page, "tail", proposer["phone_tail"])
    screen(page, "choose")
    assert wait_for(page, "read", 3)["text"] == (
        f"您好，{proposer['name']}。目前没有涉及您家的议题在征集联署。您可以提出议题。"
        "涉及您家、正在征集联署的议题。提出新议题。"
    )
    page.get_by_test_id("kiosk-propose").click()
    screen(page, "propose")
    form = wait_for(page, "read", 4)["text"]
    assert form.startswith("提出新议题。您的议题（一句话）。具体情况（可不填）。分类。")
    assert form.endswith("涉及哪些住户？我这个单元。我这栋楼。全小区。")
    assert_elder_mode(page, "the topics kiosk's proposal form")
    page.screenshot(path=str(ARTIFACTS / "elder-topics-propose.png"))
    page.locator("#kiosk-topic-title").fill(title)
    page.get_by_test_id("kiosk-propose-submit").click()
    screen(page, "choose")
    listed = wait_for(page, "read", 5)
    topic = page.get_by_test_id("kiosk-topic").filter(has_text=title)
    facts = topic.locator(".rate-facts").inner_text()  # its category, its households
    assert listed["text"] == (
        f"您好，{proposer['name']}。谢谢您：您的议题“{title}”已开始征集联署。"
        f"涉及您家、正在征集联署的议题。{title}。{facts.replace(' · ', '，')}。"
        "20户中已有1户联署，需要6户。您已联署此议题。提出新议题。"
    )
    assert_audio(page, listed["url"])

    # Done: the start is not read to the next resident until they ask (朗读) or begin.
    reads = len(said(page, "read"))
    page.get_by_test_id("topics-finish").click()
    screen(page, "start")
    scan_burst(page, f"YISHI:{neighbour['member_id']}")
    screen(page, "tail")
    assert wait_for(page, "read", reads + 1)["text"].startswith(f"您好，{neighbour['name']}。")
    tap(page, "tail", neighbour["phone_tail"])
    screen(page, "choose")
    wait_for(page, "read", reads + 2)
    topic.get_by_role("button", name="我支持这个议题（联署）").click()
    expect(topic.locator("[data-role='figures']")).to_have_text(
        "已有 2 / 20 户联署；需 6 户（30%）。"
    )
    thanks = wait_for(page, "read", reads + 3)
    assert thanks["text"] == f"谢谢您，{neighbour['name']}：您的联署已记录。"
    assert_audio(page, thanks["url"])
    assert_elder_mode(page, "the topics kiosk's list")
    page.screenshot(path=str(ARTIFACTS / "elder-topics-choose.png"))


def test_the_kiosk_s_rating_screens_read_themselves_aloud_and_follow_the_voice_settings_live(
    live_server: LiveServer, page: Page
) -> None:
    server = live_server
    meeting = demo_meeting(server)
    slip = server.url + sign_in(server, "孙艳娜", "6851")  # her sign-in slip's QR code
    done = action(server, decision_on(server, meeting), "更换小区路灯", hall_today())
    server.api(f"/api/v1/actions/{done}", {"status": "done"}, method="PATCH")
    day = hall_today()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{server.url}/kiosk/rate?meeting={meeting}&lang=zh_CN")
    expect(page.locator("html")).to_have_attribute("data-ready", "true")
    expect(page.locator("html")).to_have_class(re.compile(r"\belder\b"))

    # The moderator turns the kiosk down: the rating page hears it at once, as sign-in does.
    wait_joined(page)
    console = open_console(page.context, server)
    expose(page, "voice.js", "voice")
    rate = page.evaluate("voice.config.rate")
    console.evaluate(
        f"async () => {MODERATOR}.send('voice.settings', "
        f"{{screens: {{kiosk: {{volume: 40, rate: {rate}}}}}}})"
    )
    page.wait_for_function("() => voice.config.volume === 40")
    console.close()

    assert read_the_start(page, "rate") == (
        "会议决定的事情办得怎么样？请把居民卡或签到条上的二维码对准扫描器。"
        "没有卡或签到条？请找服务台工作人员，或在公示栏用个人码评价。"
    )

    # The list reads itself: the work, its decision, who did it, when, as one sentence each.
    scan_burst(page, slip)
    screen(page, "choose")
    listed = wait_for(page, "read", 2)
    assert listed["text"] == (
        "您好，孙艳娜。请点选您对每项已完成工作的满意程度，然后提交。更换小区路灯。"
        f"同意整治3栋楼道堆物，责任单位：幸福里物业服务中心，{day.year}年{day.month}月{day.day}日完成。"
    )
    work = page.get_by_test_id("rate-item").filter(has_text="更换小区路灯")
    expect(work.locator(".rate-facts")).to_have_text(
        f"同意整治3栋楼道堆物 · 责任单位：幸福里物业服务中心 · 完成于 {day.isoformat()}"
    )
    # A tap chooses, and says so; the thanks are said once sent.
    work.get_by_role("button", name="4 满意").click()
    chosen = wait_for(page, "read", 3)
    assert chosen["text"] == (
        "您给“更换小区路灯”评了4分（满分5分）：满意。想说几句的话，可以点选或写下意见，然后点“提交评价”。"
    )
    assert_audio(page, chosen["url"])
    assert_elder_mode(page, "the rating kiosk's choice and its comment")
    page.screenshot(path=str(ARTIFACTS / "elder-rate-chosen.png"))
    work.get_by_role("button", name="办得好").click()
    work.get_by_test_id("rate-send").click()
    thanks = wait_for(page, "read", 4)
    assert thanks["text"] == "谢谢您，孙艳娜：您对“更换小区路灯”的评价已记录。"
    assert_audio(page, thanks["url"])
    assert thanks["url"] != chosen["url"]
    assert_elder_mode(page, "the rating kiosk's list, rated")
    page.screenshot(path=str(ARTIFACTS / "elder-rate-rated.png"))

    # Done: the start is not read to the next resident until they ask (朗读) or begin; her own
    # rating is said as a sentence, not "4 / 5".
    page.get_by_test_id("rate-finish").click()
    screen(page, "start")
    scan_burst(page, slip)
    screen(page, "choose")
    again = wait_for(page, "read", 5)
    assert again["text"].startswith("您好，孙艳娜。")
    assert again["text"].endswith("完成。您已评4分（满分5分）。")
    expect(work.locator(".rate-yours")).to_have_text("您的评价：4 / 5")
    assert page.evaluate("voice.volumeNow()") == 40


def test_the_projector_says_the_speaker_then_its_cues_as_the_countdown_crosses_them(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(live_server, "孙艳娜", "6851")
    console = open_console(page.context, live_server)
    projector = open_projector(page.context, live_server)
    projector.get_by_test_id("chime-unlock").click()  # the wall's sound, once, by a person
    expose(projector, "voice.js", "voice")
    cue = projector.evaluate("voice.config.cues.warning")
    assert cue["text"]["zh_CN"] == "还剩三十秒"
    assert_audio(projector, cue["audio"]["zh_CN"])

    start_item(console, "停车位划线")
    add_hand(console, "孙艳娜", "反对")
    console.get_by_test_id("next-speaker").click()
    announced = wait_for(projector, "next_speaker")
    assert announced["text"] == "请孙艳娜发言，限时两分钟"
    assert_audio(projector, announced["url"])
    assert said(projector, "warning") == []

    # 90 s off the clock: the countdown enters its last 30 s, chimes, then says so.
    console.evaluate(f"async () => {MODERATOR}.send('timer', {{action: 'add', seconds: -90}})")
    expect(projector.get_by_test_id("countdown")).to_have_attribute("data-state", "warning")
    warning = wait_for(projector, "warning")
    assert warning["text"] == "还剩三十秒" and warning["url"] == cue["audio"]["zh_CN"]
    assert warning["state"] != "blocked"

    left = int(projector.get_by_test_id("countdown").inner_text().split(":")[1])
    console.evaluate(
        f"async () => {MODERATOR}.send('timer', {{action: 'add', seconds: {-(left - 2)}}})"
    )
    assert wait_for(projector, "time_up")["text"] == "时间到"
    assert len(said(projector, "warning")) == 1


def test_the_moderator_switches_an_announcement_off_and_the_wall_stays_quiet(
    live_server: LiveServer, page: Page
) -> None:
    meeting = demo_meeting(live_server)
    console = open_console(page.context, live_server)
    projector = open_projector(page.context, live_server)
    console.get_by_test_id("view-voice").click()
    panel = console.get_by_test_id("voice-panel")
    panel.get_by_label("表决开始（投影、投票机）").uncheck()
    expect(console.get_by_test_id("console-message")).to_have_text("语音播报设置已保存。")

    poll = api(live_server, f"/api/v1/meetings/{meeting}/polls", {"question": "是否同意？"})
    api(live_server, f"/api/v1/polls/{poll['id']}/open", {})
    expect(projector.locator(".wall")).to_have_attribute("data-mode", "poll")
    api(live_server, f"/api/v1/polls/{poll['id']}/close", {})
    result = wait_for(projector, "poll_result")
    assert result["text"] == "表决未通过。赞成0票，反对0票，弃权0票。"
    assert said(projector, "poll_opened") == []

    console.reload()
    expect(
        console.get_by_test_id("voice-panel").get_by_label("表决开始（投影、投票机）")
    ).not_to_be_checked()


def test_the_phone_s_elder_mode_reads_each_step_of_the_ballot(
    live_server: LiveServer, page: Page
) -> None:
    meeting = demo_meeting(live_server)
    phone_path = sign_in(live_server, "孙艳娜", "6851")
    poll = api(live_server, f"/api/v1/meetings/{meeting}/polls", {"question": "是否同意？"})
    api(live_server, f"/api/v1/polls/{poll['id']}/open", {})
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(live_server.url + phone_path)
    expect(page.get_by_test_id("ballot")).to_have_attribute("data-step", "choose")
    switch = page.get_by_test_id("elder-mode")
    expect(switch).to_have_attribute("aria-pressed", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    first = wait_for(page, "read")
    assert (
        first["text"]
        == "表决：是否同意？无记名投票，投出后不能修改。第一项，赞成。第二项，反对。第三项，弃权。"
    )
    page.get_by_test_id("ballot").get_by_role("button", name=re.compile("^赞成 — ")).click()
    confirm = wait_for(page, "read", 2)
    assert confirm["text"] == "您选择了：赞成。确认投票。返回修改。"
    # The voter's choice is spoken for their phone alone: made in memory, never a cached file.
    assert confirm["url"].startswith("blob:") and first["url"].startswith("blob:")
    page.reload()  # the phone is the voter's own: it remembers
    expect(page.get_by_test_id("elder-mode")).to_have_attribute("aria-pressed", "true")


def test_the_phone_reads_a_long_question_in_parts_each_within_the_read_aloud_limit(
    live_server: LiveServer, page: Page
) -> None:
    meeting = demo_meeting(live_server)
    phone_path = sign_in(live_server, "孙艳娜", "6851")
    question = "关于7栋加装电梯的方案，" * 20 + "是否同意？"  # 221 characters
    poll = api(live_server, f"/api/v1/meetings/{meeting}/polls", {"question": question})
    api(live_server, f"/api/v1/polls/{poll['id']}/open", {})
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(live_server.url + phone_path)
    expect(page.get_by_test_id("ballot")).to_have_attribute("data-step", "choose")
    page.get_by_test_id("elder-mode").click()
    wait_for(page, "read", 2)  # both parts asked for (their URLs may come in either order)
    first, second = said(page, "read")[:2]
    assert len(first["text"]) <= 200 and first["text"].endswith("，")
    assert first["text"] + second["text"] == (
        f"表决：{question}无记名投票，投出后不能修改。第一项，赞成。第二项，反对。第三项，弃权。"
    )
    # The phone's words are the voter's own: made in memory for its token, each part a WAV
    # handed over as a blob, never a file on the box.
    for part in (first, second):
        assert part["url"].startswith("blob:")
        head, size = page.evaluate(
            """async (url) => {
              const body = await (await fetch(url)).arrayBuffer();
              return [String.fromCharCode(...new Uint8Array(body.slice(0, 4))), body.byteLength];
            }""",
            part["url"],
        )
        assert head == "RIFF" and size > 20_000
