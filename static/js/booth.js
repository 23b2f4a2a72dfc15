// The voting booth: one voter at a time. Scan the slip (a USB scanner types the personal URL and
// Enter) or find your name and confirm with your phone's last 4 digits (static/kiosk/finder.js);
// the server answers a short-lived ticket for that voter; vote (static/js/ballot.js); the
// receipt; then the booth starts over. Every way back to the start forgets the voter: name,
// choice, receipt, ticket, what was typed, and their own settings (speech speed, volume, a
// blank screen). Before voting, anyone may try a practice ballot: made here, never sent.

import { PersonFinder } from "../kiosk/finder.js";
import { idleWarning } from "../kiosk/idle.js";
import { listenForCards } from "../kiosk/scanner.js";
import { Screens } from "../kiosk/screens.js";
import { ballotView } from "./ballot.js";
import { AudioBallot } from "./booth-audio.js";
import { RequestError, request, requestId } from "./http.js";
import { connect } from "./live.js";
import { followState } from "./meeting-state.js";
import { format, pageData } from "./page.js";
import { pollBook } from "./poll.js";
import { voice } from "./voice.js";

const DONE_SECONDS = 15; // the receipt stays this long after the last touch, then the next voter
const RESEND_MS = 3000; // a ballot the connection lost is tried again this often (same id)

const root = document.getElementById("booth");
const S = JSON.parse(document.getElementById("booth-strings").textContent);
const data = pageData();
const meetingId = Number(root.dataset.meetingId);
const nav = new Screens(root, { noBack: ["start", "waiting"], onShow: () => audio.shown() });
const screens = nav.sections;
const dialog = document.getElementById("idle-warning");
const voterLine = screens.vote.querySelector("[data-role=voter]");
const doneCount = screens.vote.querySelector("[data-role=done-count]");
const startMessage = screens.start.querySelector("[data-role=message]");
const practiceBanner = screens.vote.querySelector("[data-testid=booth-practice]");
const practiceDone = screens.vote.querySelector("[data-testid=booth-practice-done]");
const blankScreen = root.querySelector("[data-testid=booth-blank]");
const volumeShown = root.querySelector("[data-testid=booth-volume]");
const book = pollBook();

// The voter at the booth; a reset throws it away. An answer that arrives after a reset (its
// generation is gone) is ignored.
function freshState(generation) {
  return { generation, busy: false, ticket: null, pending: null, doneAt: 0, practice: false };
}
let state = freshState(0);

const finder = new PersonFinder({
  nav,
  S,
  meetingId,
  searchUrl: root.dataset.urlSearch,
  tailScreen: "tail",
  onTail: (person, tail) => identify({ member_id: person.id, phone_tail: tail }, "tail"),
});

const ballot = ballotView(root.querySelector("[data-testid=ballot]"), {
  texts: data.ballot_texts,
  lang: data.lang,
  submit,
  resend: true, // a ballot the connection lost waits, then goes again with its id
  onStep: (step) => {
    if (state.practice && step === "receipt") {
      practiceOver();
      return;
    }
    const over = ["receipt", "voted", "result"].includes(step);
    root.querySelector("[data-action=finish]").hidden = !over;
    // No way back while a ballot is on its way: it would drop the voter's vote.
    nav.backButton.hidden = over || step === "sending" || nav.current !== "vote";
    state.doneAt = over ? Date.now() + DONE_SECONDS * 1000 : 0;
    tickDone();
    audio.shown();
  },
});

const audio = new AudioBallot({
  voice,
  ballot,
  ballotRoot: root.querySelector("[data-testid=ballot]"),
  S,
  texts: data.ballot_texts,
  current: () => nav.current,
  section: () => screens[nav.current],
  voterLine: () => voterLine.textContent,
  finish: () => finish(),
  changed: () => showSettings(),
  pace: (step) => {
    const paces = ["slow", "normal", "fast"];
    const at = paces.indexOf(voice.pace()) + step;
    setPace(paces[Math.max(0, Math.min(paces.length - 1, at))]);
  },
  blank: () => blank(blankScreen.hidden),
});

// ---- screens ---------------------------------------------------------------------------------

const openPoll = () => {
  const poll = book.current();
  return poll && poll.status === "open" ? poll : null;
};

function back() {
  if (nav.current === "vote" && state.practice) {
    endPractice();
  } else if (nav.current === "vote") {
    reset(); // the ticket is not kept for another try: the next voter starts clean
  } else if (nav.current === "address" && finder.address.started) {
    finder.address.back();
  } else {
    if (nav.current === "tail") finder.refused("");
    nav.show(nav.previous(), { remember: false });
  }
}

function sayAtStart(text) {
  startMessage.textContent = text || "";
  startMessage.hidden = !text;
}

const errorText = (error) => error.message || S.network;

// ---- who is voting ----------------------------------------------------------------------------

/** Ask the server who is voting (a slip's token, or a member and their phone tail). */
async function identify(who, screen) {
  state.busy = true;
  const { generation } = state;
  let voter;
  try {
    voter = await request(root.dataset.urlIdentify, {
      method: "POST", body: { meeting_id: meetingId, ...who },
    });
  } catch (error) {
    if (generation !== state.generation) return;
    state.busy = false;
    if (screen === "tail") finder.refused(errorText(error));
    else sayAtStart(`${errorText(error)} ${S.scan_help}`);
    return;
  }
  if (generation !== state.generation) return;
  state.busy = false;
  startVote(voter);
}

function startVote(voter) {
  if (voter.poll) book.add(voter.poll);
  const poll = voter.poll && voter.poll.status === "open" ? voter.poll : openPoll();
  if (!poll) {
    reset();
    return;
  }
  state.ticket = voter.ticket;
  // "Please vote" only to someone who may still vote; who they are in any case.
  const done = voter.voted && poll.secret;
  const place = { name: voter.name, address: voter.address };
  voterLine.textContent = voter.proxy_name
    ? format(S.proxy_vote, { proxy: voter.proxy_name, ...place })
    : done ? `${voter.name} ${voter.address}` : format(S.please_vote, place);
  nav.forget();
  nav.show("vote", { remember: false });
  // In a secret poll the server's words say how this voter already voted; a named vote can change.
  ballot.show(poll, { voted: voter.voted, message: poll.secret ? voter.voted_message : null });
}

/** The booth's ballot: the ticket, the choices and an id kept until the server answers (a
 *  ballot the connection lost is sent again by resend(), with the same id: counted once).
 *  A practice ballot goes nowhere: nothing of it reaches the server. */
async function submit(poll, choices) {
  if (state.practice) return { receipt: "", replaced: false, repeated: false };
  if (!state.pending || state.pending.choices.join("\n") !== choices.join("\n")) {
    state.pending = { client_id: requestId(), choices };
  }
  const { generation } = state;
  let answer;
  try {
    answer = await request(root.dataset.urlBallot, {
      method: "POST",
      body: { ticket: state.ticket, poll_id: poll.id, choices, client_id: state.pending.client_id },
    });
  } catch (error) {
    if (generation !== state.generation) throw new RequestError("reset");
    if (error.lost) live.detail(data.texts.vote_kept);
    else state.pending = null;
    throw new RequestError(error.code, errorText(error), error.status);
  }
  if (generation !== state.generation) throw new RequestError("reset");
  state.pending = null;
  return answer;
}

/** Send again the ballot the connection lost, once the server can be reached. */
function resend() {
  if (!state.pending || live.offline()) return;
  if (ballot.waiting()) ballot.castAgain(state.pending.choices);
}

function tickDone() {
  const left = state.doneAt ? Math.ceil((state.doneAt - Date.now()) / 1000) : 0;
  doneCount.hidden = !state.doneAt;
  if (state.doneAt && left <= 0) {
    reset();
    return;
  }
  const text = state.doneAt ? format(S.done_count, { n: left }) : "";
  if (doneCount.textContent !== text) doneCount.textContent = text;
}

// ---- polls as the room's screens get them -----------------------------------------------------

function followPoll(poll) {
  if (!book.add(poll)) return;
  const open = openPoll();
  screens.start.querySelector("[data-testid=booth-poll-question]").textContent = open ? open.question : "";
  if (nav.current === "vote") {
    const shown = ballot.poll();
    if (shown && shown.id === poll.id) ballot.show(poll); // closed while voting: the result shows
  } else if (!open) {
    reset();
  } else if (nav.current === "waiting") {
    nav.show("start", { remember: false });
  }
}

// ---- practice ---------------------------------------------------------------------------------

/** A practice poll, made in the page: a question of no consequence, the usual three answers. */
function practicePoll() {
  const now = new Date().toISOString();
  return {
    id: -1, meeting_id: meetingId, item_id: null, question: S.practice_question, kind: "yes_no",
    options: ["for", "against", "abstain"], max_choices: 1, secret: true, rule: "practice",
    weighting: "headcount", eligibility: "all", groups: [], duration_s: null, status: "open",
    opened_at: now, closes_at: null, closed_at: null, server_now: now, cast: 0, eligible: 0,
    present: 0, result: null, explanation: null, final_hash: null,
  };
}

/** Try the ballot before voting: clearly marked, never sent, never recorded or counted. */
function practice() {
  if (state.ticket) return; // a voter the booth holds votes for real
  state.practice = true;
  root.dataset.practice = "true";
  practiceBanner.hidden = false;
  practiceDone.hidden = true;
  voterLine.textContent = S.practice_voter;
  sayAtStart("");
  nav.show("vote");
  ballot.show(practicePoll());
}

/** The practice ballot was "cast": say that nothing was recorded, and offer the start again. */
function practiceOver() {
  ballot.reset();
  voterLine.replaceChildren();
  practiceDone.hidden = false;
  nav.backButton.hidden = true;
  audio.shown();
  practiceDone.querySelector("button").focus();
}

/** Leave the practice for the start; the voter's own settings stay (they are still here). */
function endPractice() {
  state.practice = false;
  delete root.dataset.practice;
  practiceBanner.hidden = true;
  practiceDone.hidden = true;
  ballot.reset();
  voterLine.replaceChildren();
  nav.forget();
  nav.show(openPoll() ? "start" : "waiting", { remember: false });
}

/** "Done" (the button, or 5 on the keypad): the next voter, or after a practice the start. */
function finish() {
  if (state.practice) endPractice();
  else reset();
}

// ---- the voter's own settings -----------------------------------------------------------------

function showSettings() {
  root.querySelectorAll("[data-pace]").forEach((button) => {
    button.setAttribute("aria-pressed", String(button.dataset.pace === voice.pace()));
  });
  volumeShown.textContent = String(voice.volumeNow());
}

function setPace(pace) {
  voice.setPace(pace);
  showSettings();
  voice.read([S.paces[pace]]); // said at the new speed
}

function setVolume(way) {
  const level = way === "louder" ? voice.louder() : voice.softer();
  showSettings();
  voice.read([format(S.volume, { n: level })]);
}

/** Blank the screen for privacy (`on`), or show it again; the sound goes on either way. */
function blank(on) {
  blankScreen.hidden = !on;
  root.dataset.blank = String(on);
  if (on) voice.tell([S.blanked]); // after what the voter is listening to, which goes on
}

// ---- starting over ----------------------------------------------------------------------------

/** Back to the start (or to waiting for a vote) with nothing of the previous voter left. */
function reset() {
  state = freshState(state.generation + 1);
  nav.forget();
  ballot.reset();
  finder.reset();
  sayAtStart("");
  voterLine.replaceChildren();
  tickDone();
  if (dialog.open) dialog.close();
  voice.resetVoter(); // the next voter starts with the booth's own volume, speed and elder mode
  showSettings();
  blank(false);
  delete root.dataset.practice;
  practiceBanner.hidden = true;
  practiceDone.hidden = true;
  audio.reset();
  nav.show(openPoll() ? "start" : "waiting", { remember: false });
  voice.hush(); // the voter is leaving: the next one hears the start with 朗读, 0 or *
  document.activeElement?.blur?.();
}

// ---- wiring -----------------------------------------------------------------------------------

root.addEventListener("click", (event) => {
  if (event.target.closest("[data-pace]")) {
    setPace(event.target.closest("[data-pace]").dataset.pace);
    return;
  }
  if (event.target.closest("[data-volume]")) {
    setVolume(event.target.closest("[data-volume]").dataset.volume);
    return;
  }
  const target = event.target.closest("[data-action], [data-key], [data-building], [data-unit]");
  if (!target || !root.contains(target)) return;
  // The ballot handles its own buttons (its "back" is "change my choice"), all but "Done".
  if (target.closest("[data-testid=ballot]") && target.dataset.action !== "finish") return;
  if (finder.tap(target)) return;
  const action = target.dataset.action;
  if (action === "back") back();
  else if (action === "find") {
    sayAtStart("");
    finder.start(target.dataset.method);
  } else if (action === "finish") finish();
  else if (action === "practice") practice();
  else if (action === "practice-end") endPractice();
  else if (action === "blank") blank(true);
  else if (action === "stay") idle.poke();
});

// A physical keyboard or keypad works too: letters on the pinyin screen, digits on the keypads.
document.addEventListener("keydown", (event) => {
  if (state.doneAt) state.doneAt = Date.now() + DONE_SECONDS * 1000; // still listening to it
  if (audio.key(event)) return; // the voting keys work on a blank screen too
  if (!blankScreen.hidden) {
    // Any other key shows the screen again, and does nothing else.
    if (!["Shift", "Control", "Alt", "Meta"].includes(event.key)) {
      event.preventDefault();
      blank(false);
    }
    return;
  }
  finder.key(event, nav.current);
});

// Any touch while the receipt shows: the voter is still reading it. A touch on the blank
// screen shows it again (and presses nothing under it).
document.addEventListener("pointerdown", () => {
  if (state.doneAt) state.doneAt = Date.now() + DONE_SECONDS * 1000;
}, { capture: true, passive: true });
blankScreen.addEventListener("click", (event) => {
  event.stopPropagation();
  blank(false);
});

const idle = idleWarning({
  root,
  dialog,
  countText: S.idle_count,
  // Never while a ballot is on its way: the voter's vote is not dropped by the idle reset.
  isActive: () => !["start", "waiting"].includes(nav.current) && !state.doneAt && !state.pending,
  onOpen: () => voice.read(voice.wordsOf(dialog)),
  onExpire: reset,
});

listenForCards(
  () => nav.current === "start" && !dialog.open && !state.busy,
  (code) => identify({ token: code.trim() }, "start"),
);

const live = connect({
  namespace: "/booth",
  join: { meeting_id: meetingId },
  on: { poll: followPoll, say: voice.announce, "voice.settings": voice.apply },
  onJoin: (answer) => {
    followPoll(answer.poll);
    resend();
  },
  // The voter with a ballot on its way is told it is kept; anyone else that the booth waits.
  onOffline: () => live.detail(state.pending ? data.texts.vote_kept : undefined),
  large: true,
  texts: data.texts,
});
followState(live); // the state badge follows the meeting (issue 16)
window.setInterval(resend, RESEND_MS);

voice.setReader((auto) => {
  if (dialog.open) return voice.wordsOf(dialog);
  if (!practiceDone.hidden) return [S.practice_done, S.keys_done];
  return audio.words(auto);
});
book.add(data.poll);
showSettings();
idle.start();
window.setInterval(tickDone, 250);
root.dataset.ready = "true";
