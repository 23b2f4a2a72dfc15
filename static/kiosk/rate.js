// The kiosk's rating screen: scan a resident card or a sign-in slip, a card's phone digits,
// then rate completed work (and the hall's open survey) with large buttons: a tap chooses, a
// comment may follow (phrases to tap), "send" records it, once. Nothing is kept between
// residents: "Done", or no touch for the kiosk's idle time, starts again. Every word comes from
// #rate-strings.

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
  showList(answer.actions, answer.survey);
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

// An item rated (or a survey answered) shows the stars given; each is rated once, so its
// buttons are then off. Before that a tap only chooses: the comment and "send" follow.
function starsLine(item, stars) {
  item.dataset.rated = String(Boolean(stars));
  item.querySelector(".rate-yours").textContent = stars ? format(S.yours, { stars }) : "";
  for (const button of item.querySelectorAll(".rate-star")) {
    button.setAttribute("aria-pressed", String(Number(button.dataset.stars) === stars));
    button.disabled = Boolean(stars);
  }
  if (stars) item.querySelector(".rate-more").hidden = true;
}

function addItem(list, template, key, title, facts, stars, kind) {
  const item = template.content.firstElementChild.cloneNode(true);
  item.dataset.kind = kind;
  if (kind === "survey") item.dataset.survey = key;
  else item.dataset.action = key;
  const heading = item.querySelector(".rate-title");
  heading.id = `rate-title-${kind}-${key}`;
  heading.textContent = title;
  if (kind === "survey") {
    const label = document.createElement("span");
    label.className = "rate-kind";
    label.textContent = S.survey_label;
    heading.before(label);
  }
  item.querySelector(".rate-stars").setAttribute("aria-labelledby", heading.id);
  item.querySelector(".rate-facts").textContent = facts;
  starsLine(item, stars);
  list.append(item);
}

function showList(actions, survey) {
  const list = nav.part("choose", "list");
  const template = nav.part("choose", "item");
  list.replaceChildren();
  nav.say("choose", actions.length || survey ? "" : S.not_done_yet, "ok");
  if (survey) {
    const until = survey.closes_at ? format(S.survey_until, { day: survey.closes_at.slice(0, 10) }) : "";
    addItem(list, template, survey.id, survey.title, [survey.question, until].filter(Boolean).join(" · "),
      survey.stars, "survey");
  }
  for (const action of actions) {
    addItem(list, template, action.id, action.title, [
      action.decision,
      format(S.responsible, { party: action.responsible }),
      action.completed_on ? format(S.completed_on, { day: action.completed_on }) : "",
    ].filter(Boolean).join(" · "), action.stars, "action");
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

function choose(button) {
  const item = button.closest(".rate-item");
  item.dataset.chosen = button.dataset.stars;
  for (const other of item.querySelectorAll(".rate-star")) {
    other.setAttribute("aria-pressed", String(other === button));
  }
  const more = item.querySelector(".rate-more");
  more.hidden = false;
  more.scrollIntoView({ block: "nearest" });
}

function addPhrase(chip) {
  const box = chip.closest(".rate-item").querySelector(".rate-comment");
  box.value = box.value ? `${box.value}，${chip.textContent.trim()}` : chip.textContent.trim();
}

async function send(button) {
  const item = button.closest(".rate-item");
  const stars = Number(item.dataset.chosen || 0);
  nav.say("choose", "");
  if (!stars) {
    nav.say("choose", S.need_stars);
    return;
  }
  const body = {
    meeting_id: meetingId, code: who.code, phone_tail: who.tail, stars,
    comment: item.querySelector(".rate-comment").value,
  };
  if (item.dataset.kind === "survey") body.survey_id = Number(item.dataset.survey);
  else body.action_id = Number(item.dataset.action);
  button.disabled = true;
  try {
    await request(root.dataset.urlRate, { method: "POST", body });
    starsLine(item, stars);
    const title = item.querySelector(".rate-title").textContent;
    nav.say("choose", format(item.dataset.kind === "survey" ? S.survey_thanks : S.thanks,
      { name: who.name, title }), "ok");
  } catch (error) {
    nav.say("choose", errorText(error));
  } finally {
    button.disabled = false;
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
  else if (target.classList.contains("rate-star")) choose(target);
  else if (target.classList.contains("rate-chip")) addPhrase(target);
  else if (target.classList.contains("rate-send")) send(target);
  else if (target.dataset.action === "credit-slip") {
    const body = { meeting_id: meetingId, code: who.code, phone_tail: who.tail };
    creditSlip.printAsked(body, nav.part("choose", "print-status"), S);
  }
});

listenForCards(() => nav.current === "start", scanned);
root.querySelector('[data-action="camera"]').hidden = !cameraPossible();
document.documentElement.dataset.ready = "true";
