"""The clerk desk's attendance through the real app: its list and the CSV export."""

from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from meeting_room.store.models.meetings import Meeting
from tests.web.test_screens import member_id, page, sign_in


def test_the_clerk_desk_offers_the_tools_and_the_list_holds_who_signed_in(
    client: FlaskClient, meeting: Meeting
) -> None:
    sign_in(client, meeting, "孙艳娜")
    html, _ids = page(client, "/clerk")
    assert "记录员工作台" in html and meeting.title in html
    assert f"/clerk/meetings/{meeting.id}/attendance.csv" in html
    assert 'value="业主"' in html and 'value="1栋"' in html  # group and building filters
    assert "值班记录员" in html and "登记代理人" in html and "来宾登记" in html
    listed = client.get(f"/api/v1/meetings/{meeting.id}/attendance").get_json()["attendance"]
    assert [row["name"] for row in listed] == ["孙艳娜"]

    english, _ids = page(client, "/clerk?lang=en")
    assert "Clerk desk" in english and "Register a proxy" in english


def test_the_csv_export_has_a_bom_names_proxies_and_guests_and_no_formulas(
    client: FlaskClient, meeting: Meeting
) -> None:
    sign_in(client, meeting, "孙艳娜")
    base = f"/api/v1/meetings/{meeting.id}"
    proxy = client.post(
        f"{base}/proxies",
        json={
            "represented_id": member_id(client, "邱秀德"),
            "proxy_name": '=HYPERLINK("x")',
            "checked_by": "王记录",
        },
    )
    assert proxy.status_code == 200, proxy.get_json()
    guest = client.post(f"{base}/guests", json={"name": "@街道办小李", "note": "-观察"})
    assert guest.status_code == 200, guest.get_json()

    response = client.get(f"/clerk/meetings/{meeting.id}/attendance.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][0] == "姓名"
    by_name = {row[0]: row for row in rows[1:]}
    assert "孙艳娜" in by_name and by_name["孙艳娜"][8] == "是"
    assert by_name["邱秀德"][4] == '\'=HYPERLINK("x")' and by_name["邱秀德"][5] == "王记录"
    assert "'@街道办小李" in by_name and by_name["'@街道办小李"][3] == "来宾"
    assert by_name["'@街道办小李"][-1] == "'-观察"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
