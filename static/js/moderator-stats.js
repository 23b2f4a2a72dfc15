/* The console's live speaking statistics: per person (a proxy by their own name), by group and
 * by stance, the points of order beside them; CSS bars and a table. Asked for over the console's
 * socket ("statistics") at every floor change it receives, and every few seconds while a
 * speech runs (its time grows); of the item under discussion, else of the whole meeting.
 */

import { formatDuration } from "./clock.js";
import { el, setText } from "./dom.js";
import { activeItem, personName, statBars } from "./floor.js";
import { live, watchFloor } from "./moderator.js";
import { format, pageData } from "./page.js";

var data = pageData();
var texts = data.texts;
var words = data.words;
var panel = document.querySelector('[data-testid="live-stats"]');
var RUNNING_REFRESH_MS = 5000;
var asked = 0;   // the answer to the latest question wins
var floor = null;

function share(row) {
  return {
    label: (row.kind === "group" ? words.groups : words.stances)[row.key] || row.key,
    share: Number(row.percent) / 100,
    text: row.percent + "% · " + formatDuration(row.seconds),
    data: row.kind === "group" ? {} : { stance: row.key },
  };
}

function render(scope, stats) {
  var speeches = 0;
  stats.people.forEach(function (person) { speeches += person.speeches; });
  setText(panel.querySelector('[data-field="stats-scope"]'), scope);
  setText(panel.querySelector('[data-field="stats-total"]'), speeches || stats.points_of_order
    ? format(texts.stats_total, { num: speeches, time: formatDuration(stats.total_seconds) })
    : texts.stats_none);
  statBars(panel.querySelector('[data-field="by-stance"]'), stats.by_stance.map(function (row) {
    return share(Object.assign({ kind: "stance" }, row));
  }));
  statBars(panel.querySelector('[data-field="by-group"]'), stats.by_group.map(function (row) {
    return share(Object.assign({ kind: "group" }, row));
  }));
  setText(panel.querySelector('[data-field="points"]'), format(texts.stats_points, {
    num: stats.points_of_order, time: formatDuration(stats.points_of_order_seconds),
  }));
  var body = panel.querySelector('[data-field="people"]');
  body.replaceChildren.apply(body, stats.people.map(function (person) {
    return el("tr", { dataset: { memberId: person.member_id } }, [
      el("th", { attrs: { scope: "row" } }, [personName(words, person)]),
      el("td", {}, [words.groups[person.group] || person.group]),
      el("td", { className: "num" }, [String(person.speeches)]),
      el("td", { className: "num" }, [formatDuration(person.seconds)]),
      el("td", { className: "num" }, [String(person.points_of_order)]),
    ]);
  }));
  panel.dataset.version = String(floor.version);
}

function refresh() {
  if (!floor) return;
  var item = activeItem(floor);
  var scope = item ? format(texts.stats_item, { title: item.title }) : texts.stats_meeting;
  var question = ++asked;
  live.send("statistics", { meeting_id: data.meeting_id, item_id: item ? item.id : null }).then(
    function (stats) { if (question === asked) render(scope, stats); },
    function () {}  // the next floor change asks again
  );
}

watchFloor(function (snapshot) {
  floor = snapshot;
  refresh();
});
window.setInterval(function () {
  if (floor && floor.speaker && floor.speaker.clock.phase === "running") refresh();
}, RUNNING_REFRESH_MS);
