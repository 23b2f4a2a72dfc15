// The kiosk's rating screen: scan a resident card or a sign-in slip, a card's phone digits,
// then rate completed work with large buttons. Nothing is kept between residents: "Done", or
// no touch for the kiosk's idle time, starts again. Every word comes from #rate-strings.

import { request } from "../js/http.js";
import { format } from "../js/page.js";
import { SlipFrame } from "./receipt.js";
import { cameraPossible, listenForCards, startCamera } from "./scanner.js";
import { Screens } from "./screens.js";

const TAIL_LENGTH = 4;
const root = document.getElementById("rate");
const S = JSON.parse(document.getElementById("rate-strings").textContent);
const meetingId = Number(root.dataset.meetingId);
const idleMs = Number(root.dataset.idleSeconds || 60) * 1000;
const nav = new Screens(root, { noBack: ["start"], onShow: () => {} });
const creditSlip = new SlipFrame(root.dataset.urlCreditSlip);

// The resident at the kiosk: what was scanned, a card's digits, their name.
let who = { code: "", tail: "", name: "" };
let stopCamera = null;
let idleTimer = 0;

function reset() {
  who = { code: "", tail: "", name: "" };
  creditSlip.drop();
  showCredit(null);
  if (stopCamera) stopCamera();
  stopCamera = null;
  showTail();
  nav.forget();
  for (const screen of Object.keys(nav.sections)) nav.say(screen, "");
  nav.show("start", { remember: false });
}

function touched() {
  window.clearTimeout(idleTimer);
  if (nav.current !== "start") idleTimer = window.setTimeout(reset, idleMs);
}

const errorText = (error) => error.message || S.network;

async function identify() {
  const answer = await request(root.dataset.urlWho, {
    method: "POST",
    body: { meeting_id: meetingId, code: who.code, phone_tail: who.tail },
  });
  who.name = answer.name;
  for (const part of root.querySelectorAll('[data-role="hello"]')) {
    part.textContent = format(S.hello, { name: answer.name });
  }
  if (answer.needs_tail) {
    nav.show("tail");
    return;
  }
  showCredit(answer.credit);
  showList(answer.actions);
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

function starsLine(item, stars) {
  item.dataset.rated = String(Boolean(stars));
  item.querySelector(".rate-yours").textContent = stars ? format(S.yours, { stars }) : "";
  for (const button of item.querySelectorAll(".rate-star")) {
    button.setAttribute("aria-pressed", String(Number(button.dataset.stars) === stars));
  }
}

function showList(actions) {
  const list = nav.part("choose", "list");
  const template = nav.part("choose", "item");
  list.replaceChildren();
  nav.say("choose", actions.length ? "" : S.not_done_yet, "ok");
  for (const action of actions) {
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.action = action.id;
    const title = item.querySelector(".rate-title");
    title.id = `rate-title-${action.id}`;
    title.textContent = action.title;
    item.querySelector(".rate-stars").setAttribute("aria-labelledby", title.id);
    item.querySelector(".rate-facts").textContent = [
      action.decision,
      format(S.responsible, { party: action.responsible }),
      action.completed_on ? format(S.completed_on, { day: action.completed_on }) : "",
    ].filter(Boolean).join(" · ");
    starsLine(item, action.stars);
    list.append(item);
  }
  nav.show("choose");
}

/** The resident's own participation credit (when the hall has it on): the total, a slip. */
function showCredit(credit) {
  const box = nav.part("choose", "credit");
  box.hidden = !credit;
  nav.part("choose", "print-status").hidden = true;
  if (credit) box.querySelector("[data-role=credit-total]").textContent = String(credit.total);
}

async function rate(button) {
  const item = button.closest(".rate-item");
  const stars = Number(button.dataset.stars);
  nav.say("choose", "");
  try {
    const answer = await request(root.dataset.urlRate, {
      method: "POST",
      body: {
        meeting_id: meetingId, code: who.code, phone_tail: who.tail,
        action_id: Number(item.dataset.action), stars,
      },
    });
    starsLine(item, stars);
    const title = item.querySelector(".rate-title").textContent;
    nav.say("choose", format(answer.replaced ? S.replaced : S.thanks, { name: who.name, title }), "ok");
  } catch (error) {
    nav.say("choose", errorText(error));
  }
}

root.addEventListener("click", (event) => {
  touched();
  const target = event.target.closest("button");
  if (!target) return;
  if (target.dataset.action === "back" || target.dataset.action === "finish") reset();
  else if (target.dataset.action === "camera") {
    const video = nav.part("start", "camera");
    video.hidden = false;
    startCamera(video, root.dataset.urlJsqr, (code) => {
      video.hidden = true;
      scanned(code);
    }).then((stop) => { stopCamera = stop; }, (error) => nav.say("start", errorText(error)));
  } else if (target.dataset.key) typeTail(target.dataset.key);
  else if (target.classList.contains("rate-star")) rate(target);
  else if (target.dataset.action === "credit-slip") {
    const body = { meeting_id: meetingId, code: who.code, phone_tail: who.tail };
    creditSlip.printAsked(body, nav.part("choose", "print-status"), S);
  }
});

listenForCards(() => nav.current === "start", scanned);
root.querySelector('[data-action="camera"]').hidden = !cameraPossible();
document.documentElement.dataset.ready = "true";
