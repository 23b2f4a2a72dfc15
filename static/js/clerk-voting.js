/* The clerk desk's voting view: the vote under way and its live count, with its parts: assisted
 * votes (代填, clerk-assisted.js), paper cards handed out (clerk-cards.js) and photographed
 * (clerk-photos.js), the meeting's votes with their ballot lists and a receipt checker
 * (clerk-polls.js). Polls come from the JSON API on every (re)join and live from the /clerk
 * connection that clerk.js opened ("poll" and "poll.count").
 */

import { assistedVotes } from "./clerk-assisted.js";
import { paperCards } from "./clerk-cards.js";
import { failed } from "./clerk-desk.js";
import { cardPhotos } from "./clerk-photos.js";
import { pollList } from "./clerk-polls.js";
import { live } from "./clerk.js";
import { everyTick, serverClock } from "./clock.js";
import { field, setText } from "./dom.js";
import { request } from "./http.js";
import { format, pageData } from "./page.js";
import { pollBook, pollLeft, pollTimeText } from "./poll.js";

var page = pageData();
var voting = pageData("voting-data");
var words = voting.words;
var box = document.querySelector('[data-testid="clerk-poll"]');
var counter = box.querySelector('[data-testid="clerk-poll-count"]');
var countdown = box.querySelector('[data-testid="clerk-poll-countdown"]');
var badge = document.querySelector('.desk-views [data-field="poll-live"]');
var book = pollBook();
var clock = serverClock();
var openPoll = function () { return book.open(); };
var assisted = assistedVotes({ page: page, voting: voting, openPoll: openPoll });
var photos = cardPhotos({ page: page, voting: voting, openPoll: openPoll });
var polls = pollList({ page: page, voting: voting });
paperCards({ page: page, voting: voting });

/** Keep a poll snapshot unless an older one arrives late. */
function receive(view) {
  if (book.add(view)) clock.sync(view);
}

function load() {
  request("/api/v1/meetings/" + page.meeting_id + "/polls").then(function (answer) {
    answer.polls.forEach(receive);
    render();
  }, failed);
}

function render() {
  var poll = book.open();
  renderNow(poll);
  assisted.show(poll);
  photos.show(poll);
  polls.show(book.all());
  setText(badge, poll ? poll.cast + " / " + poll.eligible : "");
  badge.hidden = !poll;
}

/** The vote open now: its state, its rules in short, the question, the count, the countdown. */
function renderNow(poll) {
  box.dataset.status = poll ? poll.status : "none";
  field(box, "none").hidden = Boolean(poll);
  ["heading", "question"].forEach(function (name) { field(box, name).hidden = !poll; });
  counter.hidden = !poll;
  countdown.hidden = !poll;
  if (!poll) return;
  box.dataset.pollId = String(poll.id);
  var status = field(box, "status");
  status.dataset.status = poll.status;
  setText(status, words.statuses[poll.status]);
  setText(field(box, "meta"), [
    poll.secret ? words.secret : words.named,
    poll.kind === "yes_no" ? words.rules[poll.rule] : format(words.max_choices, { num: poll.max_choices }),
  ].concat(poll.matter_kind ? [words.matters[poll.matter_kind]] : []).join(" · "));
  setText(field(box, "question"), poll.question);
  counter.dataset.cast = String(poll.cast);
  setText(counter, format(words.count, { cast: poll.cast, eligible: poll.eligible }));
  tick();
}

function tick() {
  var poll = book.open();
  if (!poll) return;
  var ms = pollLeft(poll, clock.now());
  setText(countdown, ms === null ? words.no_time_limit : pollTimeText(ms, words));
}

live.on("poll", function (view) { receive(view); render(); });
live.on("poll.count", function (count) {
  if (book.count(count)) render();
});
live.onJoin(load);  // each (re)join catches up with what was missed
load();
everyTick(tick);
