/* The clerk desk: the attendance list (clerk-attendance.js), signing people in (clerk-sign-in.js),
 * kiosk alerts (clerk-alerts.js), the quorum in the header and the storage alarm; the voting,
 * agenda and devices views are their own modules. Reads and writes through the JSON API; live
 * over /clerk, a connection the voting view shares. */

import { load } from "./clerk-attendance.js";
import { alerted, loadAlerts } from "./clerk-alerts.js";
import { data, storageAlarm, t } from "./clerk-desk.js";
import "./clerk-sign-in.js";
import { connect } from "./live.js";
import { showQuorum } from "./quorum.js";
import { viewSwitch } from "./views.js";

var reload = null;

viewSwitch(document.getElementById("desk-main"), document.querySelector(".desk-views"));

/* The live quorum summary in the header. */
function renderQuorum(snapshot) {
  showQuorum(document.querySelector(".desk-quorum"), snapshot, t);
  // A newer snapshot (live, or after a reconnect) means the list or the alerts changed;
  // several in a burst become one reload.
  window.clearTimeout(reload);
  reload = window.setTimeout(function () { load(); loadAlerts(); }, 150);
}

export var live = connect({
  namespace: "/clerk",
  join: { meeting_id: data.meeting_id },
  version: data.snapshot.version,
  snapshots: { attendance: renderQuorum },
  on: {
    alert: alerted,
    "storage.alarm": function (alarm) { storageAlarm(alarm.code); },
    "storage.ok": function () { storageAlarm(null); },
  },
  texts: t,
});
load();
loadAlerts();
