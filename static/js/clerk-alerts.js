/* The clerk desk's alerts (a member locked out at the kiosk, a personal code made again…):
 * listed with who and when until a clerk resolves them; a lockout can be lifted from its line;
 * lockouts and re-issued codes are also said at once on the message line. */

import { base, failed, fmt, say, t, time } from "./clerk-desk.js";
import { el } from "./dom.js";
import { request } from "./http.js";

var box = document.getElementById("alerts");
var list = document.getElementById("alert-list");
var ALERT_WORDS = { kiosk_lockout: "lockout", token_reissued: "reissued" };

function alertWords(kind, name) {
  return ALERT_WORDS[kind] ? fmt(ALERT_WORDS[kind], { name: name }) : name;
}

/** Load the open alerts from the API. */
export function loadAlerts() {
  return request(base + "/alerts").then(function (answer) {
    var items = answer.alerts.map(function (alert) {
      var words = alertWords(alert.kind, alert.detail);
      var buttons = [];
      if (alert.kind === "kiosk_lockout" && alert.member_id !== null) {
        buttons.push(el("button", { type: "button", className: "small", text: t.unlock,
                                    "aria-label": t.unlock + ": " + alert.detail,
                                    onclick: function () { unlock(alert); } }));
      }
      buttons.push(el("button", { type: "button", className: "small secondary", text: t.resolve,
                                  "aria-label": t.resolve + ": " + alert.detail,
                                  onclick: function () { resolve(alert); } }));
      return el("li", { "data-alert-id": String(alert.id), "data-alert-kind": alert.kind }, [
        el("span", { className: "who" }, [el("b", { text: time(alert.created_at) }), " " + words]),
        el("span", { className: "buttons" }, buttons),
      ]);
    });
    list.replaceChildren.apply(list, items);
    box.hidden = items.length === 0;
  }, failed);
}

function resolve(alert) {
  request(base + "/alerts/" + alert.id + "/resolve", { method: "POST" }).then(loadAlerts, failed);
}

function unlock(alert) {
  request(base + "/members/" + alert.member_id + "/unlock", { method: "POST" }).then(function () {
    say(fmt("unlocked", { name: alert.detail }));
    return loadAlerts();
  }, failed);
}

/** An "alert" event: a lockout or a re-issued code is said at once; the list is loaded again. */
export function alerted(alert) {
  if (ALERT_WORDS[alert.kind]) say(alertWords(alert.kind, alert.name), true);
  loadAlerts();
}
