// The lobby kiosk: find yourself (card, pinyin, building and room, or name), confirm with the
// last 4 digits of your phone, get your personal QR code. Proxies and guests have their own path.
// Every word shown comes from the template's strings (#kiosk-strings), in the page's language.

import { request, requestId } from "../js/http.js";
import { connect } from "../js/live.js";
import { followState } from "../js/meeting-state.js";
import { format } from "../js/page.js";
import { voice } from "../js/voice.js";
import { attendanceLine } from "./attendance.js";
import { PersonFinder } from "./finder.js";
import { idleWarning } from "./idle.js";
import { QrCountdown, showReceipt, SlipFrame } from "./receipt.js";
import { clearResults } from "./results.js";
import { cameraPossible, listenForCards, startCamera } from "./scanner.js";
import { Screens } from "./screens.js";

const RETRY_MS = 3000; // a sign-in the connection lost is tried again this often

const root = document.getElementById("kiosk");
const S = JSON.parse(document.getElementById("kiosk-strings").textContent);
const meetingId = Number(root.dataset.meetingId);
const urls = {
  search: root.dataset.urlSearch,
  card: root.dataset.urlCard,
  signIn: root.dataset.urlSignIn,
  proxy: root.dataset.urlProxy,
  guest: root.dataset.urlGuest,
  slip: root.dataset.urlSlip,
  jsqr: root.dataset.urlJsqr,
};
const nav = new Screens(root, {
  noBack: ["start", "done", "guest-done"],
  focusField: true,
  onShow: () => voice.shown(),
});
const screens = nav.sections;
const dialog = document.getElementById("idle-warning");
const slip = new SlipFrame(urls.slip);
const finder = new PersonFinder({
  nav,
  S,
  meetingId,
  searchUrl: urls.search,
  tailScreen: "confirm",
  onPick: explainTail,
  onTail: () => {
    state.attempt = requestId(); // one sign-in: its retries are no second one on the server
    submitTail();
  },
});

// Everything about the person at the kiosk lives here, and a reset throws it all away.
// `generation` grows with each reset: an answer arriving after one is ignored.
function freshState(generation) {
  return {
    generation, mode: "member", busy: false, receipt: null, stopCamera: null,
    retry: null, // {screen, run}: a sign-in that could not reach the server, sent again when it can
    sent: null, // {name, id}: the guest registration sent, its id kept while the name stays
    attempt: "", // the id of the sign-in being sent, the same for each of its retries
  };
}
let state = freshState(0);

// ---- screens ----------------------------------------------------------------------------

function back() {
  if (nav.current === "address" && finder.address.started) {
    finder.address.back();
    return;
  }
  stopCamera();
  if (state.retry) { // leaving a sign-in that waits for the connection drops it
    state.retry = null;
    settle();
  }
  const previous = nav.previous();
  if (previous === "confirm") finder.clearTail(); // the digits are typed afresh
  nav.show(previous, { remember: false });
}

const errorText = (error) => error.message || S.network;

/**
 * Send a sign-in (or a guest's registration) for the person at the kiosk. `done(answer)` or
 * `refused(error)` runs only while they are still here (a reset drops the answer). One lost on
 * its way is said calmly on `screen` (`words`), keeping what was typed, and `again()` sends it
 * once more soon (retry() below).
 */
async function submit(url, body, { screen, words, again, done, refused }) {
  const { generation } = state;
  state.retry = null;
  let answer;
  try {
    answer = await request(url, { method: "POST", body });
  } catch (error) {
    if (generation !== state.generation) return;
    if (error.lost) {
      state.retry = { screen, run: again };
      nav.say(screen, words, "wait");
    } else {
      refused(error);
    }
    return;
  }
  if (generation === state.generation) done(answer);
}

/** A submission is over (answered, refused or dropped): the fields can be typed in again. */
function settle() {
  state.busy = false;
  for (const role of ["proxy-name-input", "guest-name-input"]) {
    for (const field of root.querySelectorAll(`[data-role="${role}"]`)) field.readOnly = false;
  }
}

function setMode(mode) {
  state.mode = mode;
  root.dataset.mode = mode;
}

// ---- confirming with the phone's last digits -------------------------------------------

/** The confirm screen's own lines: whether they are here already, whose phone it asks for. */
function explainTail(person) {
  const status = nav.part("confirm", "who-status");
  status.textContent = person.signed_in_at ? format(S.already_in, { time: person.signed_in_at }) : "";
  status.hidden = !(person.signed_in_at && state.mode === "member");
  nav.part("confirm", "tail-title").textContent = state.mode === "proxy"
    ? format(S.tail_proxy, { name: person.name }) : S.tail_self;
}

function submitTail() {
  if (state.mode === "proxy") {
    toProxyName();
    return;
  }
  const body = {
    meeting_id: meetingId, member_id: finder.chosen.id, phone_tail: finder.tail,
    request_id: state.attempt,
  };
  submit(urls.signIn, body, {
    // Not signed in: say so, keep the digits and try again once the server answers.
    screen: "confirm",
    words: S.retrying,
    again: submitTail,
    done: (receipt) => showDone(receipt, "member"),
    refused: (error) => finder.refused(errorText(error)),
  });
}

// ---- proxies --------------------------------------------------------------------------

function toProxyName() {
  nav.part("proxy-name", "represented").textContent = format(S.represented, {
    name: finder.chosen.name, address: finder.chosen.address,
  });
  nav.say("proxy-name", "");
  nav.show("proxy-name");
}

/** The name typed on `screen` (its field `role`) to send, or null: asked for (`needed`) when
 *  nothing is typed, none while a submission is on its way. */
function nameToSend(screen, role, needed) {
  const field = nav.part(screen, role);
  const name = field.value.trim();
  if (!name) {
    nav.say(screen, needed);
    field.focus();
    return null;
  }
  if (state.busy) return null;
  state.busy = true;
  field.readOnly = true; // what was typed is what is sent, however many tries it takes
  nav.say(screen, "");
  return name;
}

function submitProxy() {
  const name = nameToSend("proxy-name", "proxy-name-input", S.proxy_name_needed);
  if (name) sendProxy(name, requestId());
}

/**
 * Send the proxy's sign-in. A repeat is harmless on the server: a member has one attendance,
 * so a retry whose first try did arrive renews that row (and its QR code) instead of adding
 * one, and with the same `request_id` keeps what a clerk decided of the mandate meanwhile.
 */
function sendProxy(name, id) {
  const body = {
    meeting_id: meetingId, represented_id: finder.chosen.id,
    phone_tail: finder.tail, proxy_name: name, request_id: id,
  };
  submit(urls.proxy, body, {
    screen: "proxy-name",
    words: S.retrying_kept,
    again: () => sendProxy(name, id),
    done: (receipt) => {
      settle();
      showDone(receipt, "proxy");
    },
    refused: (error) => {
      settle();
      if (["wrong_phone_tail", "locked"].includes(error.code)) {
        nav.show(nav.previous("confirm"), { remember: false });
        finder.refused(errorText(error));
      } else {
        nav.say("proxy-name", errorText(error));
      }
    },
  });
}

// ---- signed in ----------------------------------------------------------------------------

function showDone(receipt, kind) {
  state.receipt = receipt;
  showReceipt(screens.done, receipt, kind, S);
  // The server's greeting speaks the name (王静，签到成功); elder mode then reads the rest.
  const greeting = receipt.voice;
  nav.part("done", "greeting").closest("h1").dataset.readAuto = greeting ? "skip" : "";
  if (greeting) voice.play(greeting.url, greeting.text, greeting.key, greeting.volume);
  nav.forget();
  nav.show("done", { remember: false });
  qrTime.start();
}

// ---- guests ---------------------------------------------------------------------------------

function submitGuest() {
  const name = nameToSend("guest", "guest-name-input", S.guest_name_needed);
  if (!name) return;
  // One id per registration: its retries (and a second tap after "Back" with the same name)
  // send it again, and the server answers the guest it made the first time.
  if (state.sent?.name !== name) state.sent = { name, id: requestId() };
  sendGuest(name, state.sent.id);
}

function sendGuest(name, id) {
  submit(urls.guest, { meeting_id: meetingId, name, request_id: id }, {
    screen: "guest",
    words: S.retrying_kept,
    again: () => sendGuest(name, id),
    done: (guest) => {
      settle();
      nav.part("guest-done", "greeting").textContent = format(S.guest_welcome, { name: guest.name });
      nav.forget();
      nav.show("guest-done", { remember: false });
    },
    refused: (error) => {
      settle();
      nav.say("guest", errorText(error));
    },
  });
}

// ---- resident cards: the scanner and the camera ------------------------------------------

async function onCard(code) {
  const origin = state.mode === "proxy" ? "proxy-start" : "start";
  const { generation } = state;
  let found = null;
  let failure = {};
  try {
    found = await request(urls.card, { method: "POST", body: { meeting_id: meetingId, code } });
  } catch (error) {
    failure = error;
  }
  if (generation !== state.generation) return;
  if (nav.current === "camera") back();
  if (found && found.results.length) {
    nav.say(origin, "");
    finder.pick(found.results[0]);
  } else {
    nav.say(origin, `${errorText(failure)} ${S.card_help}`);
  }
}

async function openCamera() {
  nav.say("camera", "");
  nav.show("camera");
  const { generation } = state;
  try {
    const stop = await startCamera(nav.part("camera", "video"), urls.jsqr, (code) => {
      state.stopCamera = null;
      onCard(code);
    });
    if (generation !== state.generation || nav.current !== "camera") stop();
    else state.stopCamera = stop;
  } catch {
    nav.say("camera", S.camera_failed);
  }
}

function stopCamera() {
  state.stopCamera?.();
  state.stopCamera = null;
}

// ---- starting over ---------------------------------------------------------------------

/** Back to the start with nothing of the previous person left on the screen. */
function reset() {
  qrTime.stop();
  stopCamera();
  slip.drop();
  state = freshState(state.generation + 1);
  nav.forget();
  settle();
  setMode("member");
  for (const field of root.querySelectorAll("input")) field.value = "";
  for (const results of root.querySelectorAll(".results-pane")) clearResults(results);
  for (const message of root.querySelectorAll("[data-role=message], [data-role=print-status]")) {
    message.textContent = "";
    message.hidden = true;
  }
  const personal = ["who-name", "who-address", "who-status", "greeting", "lines", "qr",
    "qr-caption", "represented"];
  for (const role of personal) {
    for (const element of root.querySelectorAll(`[data-role="${role}"]`)) element.replaceChildren();
  }
  finder.reset();
  if (dialog.open) dialog.close();
  voice.resetVoter();
  nav.show("start", { remember: false });
  voice.hush(); // the person is leaving: the next one hears the start screen with 朗读
  document.activeElement?.blur?.();
}

// ---- the connection --------------------------------------------------------------------------

/** Send again the sign-in the connection lost (still for the person at the kiosk). */
function retry() {
  if (state.retry && nav.current === state.retry.screen && !live.offline()) state.retry.run();
}

// ---- the live attendance on the start screen -----------------------------------------------

const firstAttendance = JSON.parse(document.getElementById("kiosk-attendance").textContent);
const showAttendance = attendanceLine(nav.part("start", "attendance"), S, firstAttendance);

// The room's live connection: the moderator's voice settings and announcements, the attendance
// (every sign-in anywhere, coalesced by the server), and a clear "reconnecting" card (in large
// words, over the whole screen) while the server is out of reach.
const live = connect({
  namespace: "/kiosk",
  join: { meeting_id: meetingId },
  versions: { attendance: firstAttendance.version },
  snapshots: { attendance: showAttendance },
  on: { say: voice.announce, "voice.settings": voice.apply },
  onJoin: retry,
  large: true,
  texts: { reconnecting: S.reconnecting, reconnecting_detail: S.reconnecting_detail },
});
window.setInterval(retry, RETRY_MS);
followState(live);

// ---- wiring ---------------------------------------------------------------------------------

const actions = {
  back,
  find: (button) => {
    setMode(button.dataset.mode);
    finder.start(button.dataset.method);
  },
  proxy: () => { setMode("proxy"); nav.show("proxy-start"); },
  guest: () => { setMode("member"); nav.show("guest"); },
  camera: openCamera,
  "proxy-submit": submitProxy,
  "guest-submit": submitGuest,
  print: () => {
    if (state.receipt) slip.printFor(state.receipt, nav.part("done", "print-status"), S);
  },
  finish: reset,
  longer: () => qrTime.start(),
  stay: () => idle.poke(),
};

root.addEventListener("click", (event) => {
  const target = event.target.closest("[data-action], [data-key], [data-building], [data-unit]");
  if (!target || !root.contains(target) || finder.tap(target)) return;
  actions[target.dataset.action]?.(target);
});

// A physical keyboard works too: letters on the pinyin screen, digits on the keypads.
document.addEventListener("keydown", (event) => finder.key(event, nav.current));

const onEnter = (field, run) => field.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.isComposing) run();
});
onEnter(nav.part("proxy-name", "proxy-name-input"), submitProxy);
onEnter(nav.part("guest", "guest-name-input"), submitGuest);

const qrTime = new QrCountdown({
  seconds: Number(root.dataset.qrSeconds),
  count: nav.part("done", "qr-count"),
  words: nav.part("done", "qr-count-words"),
  text: S.qr_count,
  onEnd: reset,
});

const idle = idleWarning({
  root,
  dialog,
  countText: S.idle_count,
  // A sign-in waiting for the connection is not idle: starting over would lose it.
  isActive: () => nav.current !== "start" && !state.retry,
  onOpen: () => voice.read(voice.wordsOf(dialog)),
  onExpire: reset,
});

listenForCards(() => ["start", "proxy-start"].includes(nav.current) && !dialog.open, onCard);
root.querySelector("[data-action=camera]").hidden = !cameraPossible();
voice.setReader((auto) => voice.wordsOf(dialog.open ? dialog : screens[nav.current], auto));
idle.start();
root.dataset.ready = "true";
