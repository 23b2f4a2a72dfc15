/* The clerk desk's attendance list: members (in person or by proxy, signed out too) and guests,
 * with its filters; the proxies' mandates waiting for a clerk; signing someone out. */

import { base, clerkName, data, failed, fmt, say, t, time } from "./clerk-desk.js";
import { el } from "./dom.js";
import { request } from "./http.js";

var rows = [];
var guests = [];
var $ = function (id) { return document.getElementById(id); };

function buildingOf(address) {
  var best = "";
  data.buildings.forEach(function (b) { if (address.indexOf(b) === 0 && b.length > best.length) best = b; });
  return best;
}
function isPending(row) { return row.presence === "proxy" && row.mandate_status === "pending" && !row.signed_out_at; }

/** The member's row of the attendance list, or null when they never signed in. */
export function rowByMember(memberId) {
  for (var i = 0; i < rows.length; i++) if (rows[i].member_id === memberId) return rows[i];
  return null;
}

/** Load the list again from the API (after a change here, or a newer snapshot). */
export function load() {
  return request(base + "/attendance").then(function (list) {
    rows = list.attendance.slice().reverse();
    guests = list.guests.slice().reverse();
    renderList();
    renderPending();
  }, failed);
}

function statusOf(row) {
  var parts = [];
  if (row.signed_out_at) parts.push(fmt("signed_out_at", { time: time(row.signed_out_at) }));
  else if (isPending(row)) parts.push(t.pending);
  else if (row.mandate_status === "refused") parts.push(t.refused_status);
  else parts.push(t.present);
  if (row.mandate_checked_by && row.mandate_status !== "pending") {
    parts.push(fmt("checked_by", { clerk: row.mandate_checked_by }));
  }
  if (!row.eligible) parts.push(t.not_eligible);
  return parts.join(" · ");
}

function memberRow(row) {
  var actions = [];
  if (!row.signed_out_at) {
    actions.push(el("button", {
      type: "button", className: "secondary small", text: t.sign_out,
      "aria-label": t.sign_out + " " + row.name, onclick: function () { signOut(row); },
    }));
  }
  return el("tr", { "data-member-id": String(row.member_id), "data-state": row.signed_out_at ? "signed_out" : (isPending(row) ? "pending" : "present") }, [
    el("th", { scope: "row", text: row.name }),
    el("td", { text: row.address }),
    el("td", { text: data.group_names[row.group] || row.group }),
    el("td", { text: row.presence === "proxy" ? fmt("by_proxy", { proxy: row.proxy_name || "" }) : t.in_person }),
    el("td", {}, [time(row.signed_in_at), el("span", { className: "sub", text: t.channels[row.channel] || row.channel })]),
    el("td", { text: statusOf(row) }),
    el("td", { className: "actions" }, actions),
  ]);
}
function guestRow(guest) {
  return el("tr", { "data-state": "guest" }, [
    el("th", { scope: "row", text: guest.name }),
    el("td", { text: guest.note }),
    el("td", { text: "" }),
    el("td", { text: t.guest }),
    el("td", { text: time(guest.signed_in_at) }),
    el("td", { text: t.not_eligible }),
    el("td", {}),
  ]);
}

function renderList() {
  var show = $("filter-state").value;
  var group = $("filter-group").value;
  var building = $("filter-building").value;
  var name = $("filter-name").value.trim();
  var shown = [];
  if (show !== "guests") {
    rows.forEach(function (row) {
      if (show === "present" && (row.signed_out_at || row.mandate_status === "refused")) return;
      if (show === "signed_out" && !row.signed_out_at) return;
      if (show === "pending" && !isPending(row)) return;
      if (group && row.group !== group) return;
      if (building && buildingOf(row.address) !== building) return;
      if (name && row.name.indexOf(name) < 0 && (row.proxy_name || "").indexOf(name) < 0) return;
      shown.push(memberRow(row));
    });
  }
  if ((show === "all" || show === "guests") && !group && !building) {
    guests.forEach(function (guest) {
      if (name && guest.name.indexOf(name) < 0) return;
      shown.push(guestRow(guest));
    });
  }
  var body = document.querySelector("#attendance-table tbody");
  body.replaceChildren.apply(body, shown.length ? shown : [
    el("tr", {}, [el("td", { colspan: "7", className: "empty", text: t.no_rows })]),
  ]);
  $("list-count").textContent = fmt("rows", { shown: shown.length, total: rows.length + guests.length });
}
["filter-state", "filter-group", "filter-building"].forEach(function (id) { $(id).addEventListener("change", renderList); });
$("filter-name").addEventListener("input", renderList);
$("filters").addEventListener("submit", function (event) { event.preventDefault(); });

/* Mandates waiting for a clerk. */
function renderPending() {
  var list = $("pending-list");
  var waiting = rows.filter(isPending);
  list.replaceChildren.apply(list, waiting.length ? waiting.map(function (row) {
    return el("li", { "data-attendance-id": String(row.attendance_id) }, [
      el("span", { className: "who" }, [
        el("b", { text: fmt("represents", { proxy: row.proxy_name || "", name: row.name }) }),
        el("span", { className: "notes", text: row.address + " · " + time(row.signed_in_at) }),
      ]),
      el("span", { className: "buttons" }, [
        el("button", { type: "button", className: "small", text: t.accept, "aria-label": t.accept + " " + row.name,
                       onclick: function () { decide(row, true); } }),
        el("button", { type: "button", className: "secondary small", text: t.refuse, "aria-label": t.refuse + " " + row.name,
                       onclick: function () { decide(row, false); } }),
      ]),
    ]);
  }) : [el("li", { className: "empty", text: t.no_pending })]);
}
function decide(row, accept) {
  var clerk = clerkName();
  if (!clerk) return;
  request(base + "/proxies/" + row.attendance_id + "/decision", { method: "POST", body: { accept: accept, clerk: clerk } })
    .then(function () { say(fmt(accept ? "accepted" : "refused", { name: row.name })); load(); }, failed);
}

function signOut(row) {
  if (!window.confirm(fmt("confirm_sign_out", { name: row.name }))) return;
  request(base + "/sign-out", { method: "POST", body: { member_id: row.member_id } })
    .then(function () { say(fmt("signed_out", { name: row.name })); load(); }, failed);
}
