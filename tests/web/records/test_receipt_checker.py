"""The notice board's receipt checker: the code as the phone shows it ("TW5N X6AE", any case),
the choice counted under it, and the poll's result once published."""

from __future__ import annotations

import json
import re

from flask import Flask

from tests.web.scripted import Held


def shown(code: str) -> str:
    """A receipt as the phone shows it: two groups of four."""
    return f"{code[:4]} {code[4:]}"


def test_the_code_as_the_phone_shows_it_in_any_case_is_found_with_its_choice(
    app: Flask, held: Held
) -> None:
    anyone = app.test_client()
    code = held.receipts["曾超明"]
    for typed in (shown(code), shown(code).lower(), f" {code[:4]}-{code[4:]} ", code):
        answer = anyone.get(f"/api/v1/polls/{held.secret_poll}/receipts/{typed}").get_json()
        assert answer["found"] is True, typed
        assert answer["choices"] == ["against"]
        assert answer["entry"]["text"] == f"{code} against"
    wrong = anyone.get(f"/api/v1/polls/{held.secret_poll}/receipts/ZZZZ ZZZZ").get_json()
    assert wrong == {"found": False, "entry": None, "choices": []}


def test_the_board_names_the_choices_in_chinese_and_gives_the_result(
    app: Flask, held: Held
) -> None:
    board = app.test_client().get("/board?lang=zh_CN").get_data(as_text=True)
    data = json.loads(
        re.search(
            r'<script type="application/json" id="page-data">(.*?)</script>', board, re.S
        ).group(1)  # type: ignore[union-attr]
    )
    poll = data["polls"][str(held.secret_poll)]
    assert poll["options"] == {"for": "赞成", "against": "反对", "abstain": "弃权"}
    assert poll["verdict"] == "通过"
    assert "您的选票在公示清单第 {position} 行，计为“{choice}”" in data["texts"]["found_choice"]
    assert 'maxlength="16"' in board and "TW5N X6AE" in board
