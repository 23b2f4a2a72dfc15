// The first steps of a kiosk flow in which a resident says who they are (rating, topics): the QR
// code of a resident card or a sign-in slip under the scanner (or the camera), then for a card
// the phone's last 4 digits; the server then knows them and the flow shows its own screens.
// Nothing is kept between residents: "Done", "Back" on the first steps, or no touch for the
// kiosk's idle time, starts again. Markup: templates/kiosk/_identify.html.

import { request } from "../js/http.js";
import { format } from "../js/page.js";
import { cameraPossible, listenForCards, startCamera } from "./scanner.js";
import { Screens } from "./screens.js";

const TAIL_LENGTH = 4;

/**
 * The resident at the kiosk, identified step by step.
 * @param {HTMLElement} root  the flow's .kiosk-app (data-meeting-id, data-idle-seconds,
 *   data-url-who, data-url-jsqr)
 * @param {object} S  the page's strings (hello, network)
 * @param {object} options
 * @param {(answer: object) => void} options.onKnown  the server knows the resident (its answer
 *   to data-url-who): show the flow's screens
 * @param {() => void} [options.onReset]  the next resident: forget the flow's own state (after
 *   the start screen is shown again)
 * @param {() => void} [options.onShow]   after each change of screen (read-aloud)
 */
export function residentSteps(root, S, { onKnown, onReset = () => {}, onShow = () => {} }) {
  const meetingId = Number(root.dataset.meetingId);
  const idleMs = Number(root.dataset.idleSeconds || 60) * 1000;
  const nav = new Screens(root, { noBack: ["start"], onShow });

  // What was scanned, a card's digits, the resident's name.
  let who = { code: "", tail: "", name: "" };
  let stopCamera = null;
  let idleTimer = 0;

  const errorText = (error) => error.message || S.network;
  /** Who the flow's calls are for: each says it again (the server keeps nothing). */
  const body = () => ({ meeting_id: meetingId, code: who.code, phone_tail: who.tail });

  function reset() {
    who = { code: "", tail: "", name: "" };
    if (stopCamera) stopCamera();
    stopCamera = null;
    showTail();
    nav.forget();
    for (const screen of Object.keys(nav.sections)) nav.say(screen, "");
    nav.show("start", { remember: false });
    onReset();
  }

  function touched() {
    window.clearTimeout(idleTimer);
    if (nav.current !== "start") idleTimer = window.setTimeout(reset, idleMs);
  }

  async function identify() {
    const answer = await request(root.dataset.urlWho, { method: "POST", body: body() });
    who.name = answer.name;
    for (const part of root.querySelectorAll('[data-role="hello"]')) {
      part.textContent = format(S.hello, { name: answer.name });
    }
    if (answer.needs_tail) {
      nav.show("tail");
      return;
    }
    onKnown(answer);
  }

  async function scanned(code) {
    if (nav.current !== "start") return;
    who = { code, tail: "", name: "" };
    nav.say("start", "");
    try {
      await identify();
    } catch (error) {
      nav.say("start", errorText(error));
    }
    touched();
  }

  function showTail() {
    nav.part("tail", "tail-boxes").querySelectorAll("span").forEach((box, i) => {
      box.classList.toggle("filled", i < who.tail.length);
    });
    nav.part("tail", "tail-count").textContent = `${who.tail.length} / ${TAIL_LENGTH}`;
  }

  async function typeTail(key) {
    if (key === "back") who.tail = who.tail.slice(0, -1);
    else if (key === "clear") who.tail = "";
    else if (who.tail.length < TAIL_LENGTH) who.tail += key;
    showTail();
    if (who.tail.length < TAIL_LENGTH) return;
    try {
      await identify();
    } catch (error) {
      who.tail = "";
      showTail();
      nav.say("tail", errorText(error));
    }
  }

  function openCamera() {
    const video = nav.part("start", "camera");
    video.hidden = false;
    startCamera(video, root.dataset.urlJsqr, (code) => {
      video.hidden = true;
      scanned(code);
    }).then((stop) => { stopCamera = stop; }, (error) => nav.say("start", errorText(error)));
  }

  /** A tap these steps answer ("Back", "Done", the camera, a digit): true; else the flow's. */
  function tap(target) {
    const action = target.dataset.action;
    if (action === "back" || action === "finish") reset();
    else if (action === "camera") openCamera();
    else if (target.dataset.key) typeTail(target.dataset.key);
    else return false;
    return true;
  }

  /** Listen for cards, offer the camera where there is one: the page is ready. */
  function start() {
    listenForCards(() => nav.current === "start", scanned);
    root.querySelector('[data-action="camera"]').hidden = !cameraPossible();
    document.documentElement.dataset.ready = "true";
  }

  return { nav, body, errorText, identify, reset, touched, tap, start, name: () => who.name };
}
