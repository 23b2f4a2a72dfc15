// The meeting's life on the clerk desk: its state badge (live over the desk's /clerk
// connection), "Post on the notice board" for a draft, and the holidays view: days added to the
// official holiday calendar (a year the library lacks, or a local change) for the notice period
// in working days. What happens is said on the desk's message line (clerk-desk.js).

import { live } from "./clerk.js";
import { data, failed, say } from "./clerk-desk.js";
import { request } from "./http.js";
import { format, pageData } from "./page.js";
import { followState, showState } from "./meeting-state.js";

var words = pageData("life-words");
var postButton = document.querySelector('[data-testid="post-meeting"]');
var form = document.getElementById("calendar-form");
var table = document.querySelector('[data-testid="calendar-days"]');
var empty = document.querySelector('[data-testid="clerk-calendar"] [data-field="empty"]');

followState(live);

if (postButton) {
  postButton.addEventListener("click", async function () {
    if (!window.confirm(words.confirm_post)) return;
    postButton.disabled = true;
    try {
      showState(await request("/api/v1/meetings/" + data.meeting_id + "/announce", { method: "POST" }));
      postButton.hidden = true;
      // The notice warning measured a draft "if posted now": it is posted now.
      document.querySelectorAll('[data-testid="notice-warning"] [data-field]').forEach(function (part) {
        part.hidden = part.dataset.field === "if-posted";
      });
      say(words.posted);
    } catch (error) {
      failed(error, words.failed);
    } finally {
      postButton.disabled = false;
    }
  });
}
document.addEventListener("meeting-state", function (event) {
  if (postButton && event.detail.status !== "draft") postButton.hidden = true;
});

function render(days) {
  var body = table.tBodies[0];
  body.replaceChildren.apply(body, days.map(function (day) {
    var row = document.createElement("tr");
    row.dataset.day = day.day;
    [day.day, day.working ? words.working : words.holiday, day.note, day.added_by].forEach(function (text) {
      var cell = document.createElement("td");
      cell.textContent = text;
      row.appendChild(cell);
    });
    var cell = document.createElement("td");
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "secondary";
    remove.textContent = words.remove;
    remove.setAttribute("aria-label", format(words.remove_day, { day: day.day }));
    remove.addEventListener("click", async function () {
      try {
        render((await request("/api/v1/calendar-days/" + day.day, { method: "DELETE" })).days);
        say(format(words.removed, { day: day.day }));
      } catch (error) {
        failed(error, words.failed);
      }
    });
    cell.appendChild(remove);
    row.appendChild(cell);
    return row;
  }));
  table.hidden = !days.length;
  empty.hidden = Boolean(days.length);
}

async function load() {
  try {
    render((await request("/api/v1/calendar-days")).days);
  } catch (error) {
    failed(error, words.failed);
  }
}

form.addEventListener("submit", async function (event) {
  event.preventDefault();
  var fields = new FormData(form);
  var body = { day: fields.get("day"), working: fields.get("working") === "true", note: fields.get("note") || "" };
  try {
    await request("/api/v1/calendar-days", { method: "POST", body: body });
    say(format(words.added, { day: body.day }));
    form.reset();
    load();
  } catch (error) {
    failed(error, words.failed);
  }
});
load();
