/* The clerk desk's alerts (a member locked out at the kiosk…): listed until a clerk resolves
 * them; a lockout is also said at once on the message line. */

import { base, failed, fmt, say, t, time } from "./clerk-desk.js";
import { el } from "./dom.js";
import { request } from "./http.js";

var box = document.getElementById("alerts");
var list = document.getElementById("alert-list");

/** Load the open alerts from the API. */
export function loadAlerts() {
  return request(base + "/alerts").then(function (answer) {
    var items = answer.alerts.map(function (alert) {
      var words = alert.kind === "kiosk_lockout" ? fmt("lockout", { name: alert.detail }) : alert.detail;
      return el("li", { "data-alert-id": String(alert.id) }, [
        el("span", { className: "who" }, [el("b", { text: time(alert.created_at) }), " " + words]),
        el("button", { type: "button", className: "small", text: t.resolve, "aria-label": t.resolve + ": " + words,
                       onclick: function () { resolve(alert); } }),
      ]);
    });
    list.replaceChildren.apply(list, items);
    box.hidden = items.length === 0;
  }, failed);
}

function resolve(alert) {
  request(base + "/alerts/" + alert.id + "/resolve", { method: "POST" }).then(loadAlerts, failed);
}

/** An "alert" event: a lockout is said at once; the list is loaded again. */
export function alerted(alert) {
  if (alert.kind === "kiosk_lockout") say(fmt("lockout", { name: alert.name }), true);
  loadAlerts();
}
