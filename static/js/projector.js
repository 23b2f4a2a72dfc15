/* The projector: applies each newer attendance and floor snapshot to the wall, keeps the hall's
 * clock, and chooses the layout. The floor layout lives in static/js/projector-floor.js, the poll
 * layout in static/js/projector-poll.js. */

import { serverClock } from "./clock.js";
import { field, setText } from "./dom.js";
import { connect } from "./live.js";
import { followState } from "./meeting-state.js";
import { format, pageData } from "./page.js";
import { projectorFloor } from "./projector-floor.js";
import { projectorPoll } from "./projector-poll.js";
import { voice } from "./voice.js";

var data = pageData();
var texts = data.texts;
var wall = document.querySelector(".wall");

function shortfall(headcount, area) {
  var parts = [];
  if (headcount && !headcount.met) {
    parts.push(format(texts.short_people, { num: headcount.shortfall }));
  }
  if (area && !area.met) parts.push(format(texts.short_area, { area: area.shortfall }));
  return parts.join(" · ");
}

function renderClause(clause) {
  var card = wall.querySelector('.clause[data-measure="' + clause.measure + '"]');
  if (!card) return;
  card.dataset.met = String(clause.met);
  setText(field(card, "percent"), clause.percent);
  setText(field(card, "present"), clause.present);
  setText(field(card, "total"), clause.total);
  setText(field(card, "mark"), clause.met ? "✓" : "✕");
}

/* Shrink a line's text until it fits its card (a big estate has 4-digit headcounts). */
function fit(line, smallest) {
  var text = line.querySelector(".clause-big") || line;
  text.style.fontSize = "";
  var size = parseFloat(window.getComputedStyle(text).fontSize);
  while (line.scrollWidth > line.clientWidth + 1 && size > smallest) {
    size = Math.max(smallest, size * 0.92);
    text.style.fontSize = size + "px";
  }
}
function fitAll() {
  wall.querySelectorAll(".clause-main").forEach(function (line) { fit(line, 48); });
  wall.querySelectorAll(".clause-meta").forEach(function (line) { fit(line, 32); });
}

function render(snapshot) {
  var byMeasure = {};
  snapshot.clauses.forEach(function (clause) { byMeasure[clause.measure] = clause; renderClause(clause); });
  setText(wall.querySelector('[data-testid="present-headcount"]'), snapshot.in_person + snapshot.by_proxy);
  var verdict = wall.querySelector(".verdict");
  verdict.dataset.met = String(snapshot.quorum_met);
  setText(verdict.querySelector(".verdict-mark"), snapshot.quorum_met ? "✓" : "✕");
  setText(field(verdict, "verdict"), snapshot.quorum_met ? texts.met : texts.not_met);
  setText(field(verdict, "shortfall"), shortfall(byMeasure.headcount, byMeasure.area));
  wall.querySelectorAll("[data-count]").forEach(function (node) {
    setText(node, snapshot[node.dataset.count]);
  });
  fitAll();
}
fitAll();
window.addEventListener("resize", fitAll);

var clock = serverClock(data.server_now_ms);
var clockFormat = new Intl.DateTimeFormat(data.lang, {
  timeZone: data.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});
var clockNode = document.getElementById("clock");
function tick() {
  var moment = new Date(clock.now());
  setText(clockNode, clockFormat.format(moment));
  clockNode.setAttribute("datetime", moment.toISOString());
  // Wake at the next minute; no per-second work on the wall.
  window.setTimeout(tick, 60000 - (moment.getTime() % 60000) + 50);
}
tick();

/* One layout at a time: a poll (open, or just closed) goes before the floor's own layout. */
var floor = null;
var poll = null;
function layout() {
  if (!floor || !poll) return;  // both parts are still being built
  var mode = poll.showing() ? "poll" : floor.mode();
  if (wall.dataset.mode !== mode) {
    wall.dataset.mode = mode;
    fitAll();
  }
}
floor = projectorFloor(wall, data, layout);
poll = projectorPoll(wall, data, layout);
layout();

var live = connect({
  namespace: "/projector",
  join: { meeting_id: data.meeting_id },
  versions: { attendance: data.snapshot.version, floor: data.floor.version },
  snapshots: { attendance: render, floor: floor.render },
  on: {
    poll: poll.poll,
    "poll.count": poll.count,
    say: voice.announce,  // heard once "enable the chime" was tapped
    "voice.settings": voice.apply,
  },
  onJoin: function (answer) {
    floor.sync(answer.floor);
    poll.join(answer);
  },
  large: true,  // read from the back of the hall: a card over the whole wall, not a thin banner
  texts: texts,
});

// The meeting's state: the badge follows it; opening and closing are said across the wall.
var announcement = document.querySelector('[data-testid="state-announcement"]');
var announcementTimer = null;
followState(live);
document.addEventListener("meeting-state", function (event) {
  var words = announcement.dataset[event.detail.status];
  if (!words) return;
  announcement.textContent = words;
  announcement.dataset.status = event.detail.status;
  announcement.hidden = false;
  window.clearTimeout(announcementTimer);
  announcementTimer = window.setTimeout(function () { announcement.hidden = true; }, 15000);
});
