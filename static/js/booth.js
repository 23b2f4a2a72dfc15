// The voting booth: one voter at a time. Scan the slip (a USB scanner types the personal URL and
// Enter) or find your name and confirm with your phone's last 4 digits (static/kiosk/finder.js);
// the server answers a short-lived ticket for that voter; vote (static/js/ballot.js); the
// receipt; then the booth starts over. Every way back to the start forgets the voter: name,
// choice, receipt, ticket, what was typed.

import { PersonFinder } from "../kiosk/finder.js";
import { idleWarning } from "../kiosk/idle.js";
import { listenForCards } from "../kiosk/scanner.js";
import { Screens } from "../kiosk/screens.js";
import { ballotView } from "./ballot.js";
import { AudioBallot } from "./booth-audio.js";
import { RequestError, request, requestId } from "./http.js";
import { connect } from "./live.js";
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
const book = pollBook();

// The voter at the booth; a reset throws it away. An answer that arrives after a reset (its
// generation is gone) is ignored.
function freshState(generation) {
  return { generation, busy: false, ticket: null, pending: null, doneAt: 0 };
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
  finish: () => reset(),
});

// ---- screens ---------------------------------------------------------------------------------

const openPoll = () => {
  const poll = book.current();
  return poll && poll.status === "open" ? poll : null;
};

function back() {
  if (nav.current === "vote") {
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
 *  ballot the connection lost is sent again by resend(), with the same id: counted once). */
async function submit(poll, choices) {
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
  voice.resetVoter(); // the next voter starts with the booth's own volume and elder mode
  audio.reset();
  nav.show(openPoll() ? "start" : "waiting", { remember: false });
  voice.hush(); // the voter is leaving: the next one hears the start with 朗读, 0 or *
  document.activeElement?.blur?.();
}

// ---- wiring -----------------------------------------------------------------------------------

root.addEventListener("click", (event) => {
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
  } else if (action === "finish") reset();
  else if (action === "stay") idle.poke();
});

// A physical keyboard or keypad works too: letters on the pinyin screen, digits on the keypads.
document.addEventListener("keydown", (event) => {
  if (state.doneAt) state.doneAt = Date.now() + DONE_SECONDS * 1000; // still listening to it
  if (!audio.key(event)) finder.key(event, nav.current);
});

// Any touch while the receipt shows: the voter is still reading it.
document.addEventListener("pointerdown", () => {
  if (state.doneAt) state.doneAt = Date.now() + DONE_SECONDS * 1000;
}, { capture: true, passive: true });

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
window.setInterval(resend, RESEND_MS);

voice.setReader((auto) => (dialog.open ? voice.wordsOf(dialog) : audio.words(auto)));
book.add(data.poll);
idle.start();
window.setInterval(tickDone, 250);
root.dataset.ready = "true";
