/* The meeting's life on the moderator console: the state badge (live over the console's
 * /projector connection), "Open the meeting" and "Close the meeting". Opening without quorum is
 * refused by the server in words; the console shows them in a dialog and sends the confirmation,
 * which the server records. Closing first asks what still runs (open votes, the item under
 * discussion, a speech) and lists it in a confirmation dialog: confirmed, the close ends them
 * with the reason recorded. */

import { format, pageData } from "./page.js";
import { request } from "./http.js";
import { followState, showState } from "./meeting-state.js";
import { attendanceLive, say } from "./moderator.js";

var data = pageData();
var words = pageData("life-words");
var box = document.querySelector('[data-testid="console-life"]');
var openDialog = document.getElementById("open-dialog");
var closeDialog = document.getElementById("close-dialog");
var base = "/api/v1/meetings/" + data.meeting_id;

followState(attendanceLive);

function showButtons(status) {
  box.dataset.status = status;
  // A closed meeting runs nothing more: the console keeps its record in view but no longer
  // offers to start an item, a speech or a vote (static/css/moderator.css hides them).
  document.body.dataset.meetingStatus = status;
  box.querySelectorAll(".life-action").forEach(function (button) {
    button.hidden = button.dataset.when !== status;
  });
}
showButtons(box.dataset.status);
document.addEventListener("meeting-state", function (event) { showButtons(event.detail.status); });

function ask(dialog) {
  return new Promise(function (resolve) {
    function done(answer) {
      dialog.removeEventListener("click", clicked);
      dialog.removeEventListener("close", closed);
      if (dialog.open) dialog.close();
      resolve(answer);
    }
    function clicked(event) {
      var action = event.target.closest("[data-action]");
      if (action) done(action.dataset.action === "confirm");
    }
    function closed() { done(false); }
    dialog.addEventListener("click", clicked);
    dialog.addEventListener("close", closed);
    dialog.showModal();
    dialog.querySelector('[data-action="cancel"]').focus();
  });
}

function applied(state, message) {
  showState(state);
  say(message, "ok");
}

function refused(error) {
  say(error.message || words.failed, "error");
}

async function openMeeting() {
  try {
    applied(await request(base + "/open", { method: "POST", body: {} }), words.opened);
  } catch (error) {
    if (error.code !== "open_without_quorum") return refused(error);
    openDialog.querySelector('[data-field="message"]').textContent = error.message;
    var headcount = document.querySelector('[data-testid="console-attendance"] [data-field="headcount"]');
    openDialog.querySelector('[data-field="quorum"]').textContent =
      headcount ? format(words.quorum_now, { headcount: headcount.textContent }) : "";
    if (!(await ask(openDialog))) return;
    try {
      var body = { confirm_without_quorum: true };
      applied(await request(base + "/open", { method: "POST", body: body }), words.opened);
    } catch (again) {
      refused(again);
    }
  }
}

function runningLines(running) {
  var lines = running.polls.map(function (poll) { return format(words.running_poll, { question: poll.question }); });
  if (running.item_title) {
    lines.push(running.speaker
      ? format(words.running_speech, { title: running.item_title, name: running.speaker })
      : format(words.running_item, { title: running.item_title }));
  }
  return lines;
}

async function closeMeeting() {
  var lines;
  try {
    lines = runningLines(await request(base + "/running"));
  } catch (error) {
    return refused(error);
  }
  closeDialog.querySelector('[data-field="message"]').textContent = lines.length ? words.close_running : words.close_plain;
  var list = closeDialog.querySelector('[data-testid="close-running"]');
  list.replaceChildren.apply(list, lines.map(function (line) {
    var item = document.createElement("li");
    item.textContent = line;
    return item;
  }));
  list.hidden = !lines.length;
  if (!(await ask(closeDialog))) return;
  try {
    var body = { confirm_ending: lines.length > 0 };
    applied(await request(base + "/close", { method: "POST", body: body }), words.closed);
  } catch (error) {
    refused(error);
  }
}

box.querySelector('[data-testid="open-meeting"]').addEventListener("click", openMeeting);
box.querySelector('[data-testid="close-meeting"]').addEventListener("click", closeMeeting);
