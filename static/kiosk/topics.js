// The kiosk's topics screen: scan a resident card or a sign-in slip, a card's phone digits,
// then co-sign topics of one's household with large buttons or propose one (a clerk may write
// it: 代笔). The answers to one's own topics since last time are greeted first. Nothing is
// kept between residents: "Done", or no touch for the kiosk's idle time, starts again.

import { request } from "../js/http.js";
import { format } from "../js/page.js";
import { cameraPossible, listenForCards, startCamera } from "./scanner.js";
import { Screens } from "./screens.js";

const TAIL_LENGTH = 4;
const root = document.getElementById("topics");
const S = JSON.parse(document.getElementById("topics-strings").textContent);
const meetingId = Number(root.dataset.meetingId);
const idleMs = Number(root.dataset.idleSeconds || 60) * 1000;
const nav = new Screens(root, { noBack: ["start"], onShow: () => {} });
const form = nav.part("propose", "form");

let who = { code: "", tail: "", name: "" };
let stopCamera = null;
let idleTimer = 0;

const whoBody = () => ({ meeting_id: meetingId, code: who.code, phone_tail: who.tail });
const errorText = (error) => error.message || S.network;

function reset() {
  who = { code: "", tail: "", name: "" };
  if (stopCamera) stopCamera();
  stopCamera = null;
  form.reset();
  showTail();
  nav.forget();
  for (const screen of Object.keys(nav.sections)) nav.say(screen, "");
  nav.show("start", { remember: false });
}

function touched() {
  window.clearTimeout(idleTimer);
  if (nav.current !== "start") idleTimer = window.setTimeout(reset, idleMs);
}

function figures(topic) {
  return format(S.figures, {
    signed: topic.signed, households: topic.households, needed: topic.needed,
    threshold: topic.threshold,
  });
}

function showNotices(notices) {
  const list = nav.part("choose", "notices");
  list.replaceChildren();
  for (const notice of notices) {
    const line = document.createElement("li");
    line.className = "message ok topic-notice";
    line.textContent = notice;
    list.append(line);
  }
}

function showTopic(item, topic) {
  item.querySelector(".topic-bar span").style.width = `${topic.percent}%`;
  item.querySelector("[data-role=figures]").textContent = figures(topic);
  item.querySelector(".topic-progress").classList.toggle("is-met", topic.met);
  const button = item.querySelector("[data-action=sign]");
  button.disabled = topic.mine;
  if (topic.mine) button.textContent = S.you_signed;
}

function showList(topics) {
  const list = nav.part("choose", "list");
  const template = nav.part("choose", "item");
  list.replaceChildren();
  nav.say("choose", topics.length ? "" : S.none_open, "ok");
  for (const topic of topics) {
    const item = template.content.firstElementChild.cloneNode(true);
    item.dataset.topic = topic.id;
    const title = item.querySelector(".rate-title");
    title.id = `topic-title-${topic.id}`;
    title.textContent = topic.title;
    item.querySelector("[data-action=sign]").setAttribute("aria-describedby", title.id);
    item.querySelector(".rate-facts").textContent = `${topic.category} · ${topic.scope}`;
    showTopic(item, topic);
    list.append(item);
  }
}

async function identify() {
  const answer = await request(root.dataset.urlWho, { method: "POST", body: whoBody() });
  who.name = answer.name;
  for (const part of root.querySelectorAll('[data-role="hello"]')) {
    part.textContent = format(S.hello, { name: answer.name });
  }
  if (answer.needs_tail) {
    nav.show("tail");
    return;
  }
  showNotices(answer.notices);
  showList(answer.topics);
  nav.show("choose");
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

async function sign(button) {
  const item = button.closest("[data-topic]");
  nav.say("choose", "");
  try {
    const answer = await request(root.dataset.urlSign, {
      method: "POST", body: { ...whoBody(), topic_id: Number(item.dataset.topic) },
    });
    const t = answer.topic;
    showTopic(item, { ...t, threshold: t.threshold_percent, mine: true });
    nav.say("choose", format(S.signed, { name: answer.name }), "ok");
  } catch (error) {
    nav.say("choose", errorText(error));
  }
}

async function propose() {
  const fields = new FormData(form);
  if (!String(fields.get("title") || "").trim()) {
    nav.say("propose", S.need_title);
    return;
  }
  nav.say("propose", "");
  try {
    const topic = await request(root.dataset.urlPropose, {
      method: "POST",
      body: {
        ...whoBody(), title: fields.get("title"), body: fields.get("body") || "",
        category_id: Number(fields.get("category_id")), scope: fields.get("scope"),
        scribe: fields.get("scribe") || "",
      },
    });
    form.reset();
    await identify();
    nav.say("choose", format(S.proposed, { title: topic.title }), "ok");
  } catch (error) {
    nav.say("propose", errorText(error));
  }
}

root.addEventListener("click", (event) => {
  touched();
  const target = event.target.closest("button");
  if (!target) return;
  const action = target.dataset.action;
  if (action === "back" && nav.current === "propose") nav.show(nav.previous("choose"), { remember: false });
  else if (action === "back" || action === "finish") reset();
  else if (action === "propose") nav.show("propose");
  else if (action === "sign") sign(target);
  else if (action === "camera") {
    const video = nav.part("start", "camera");
    video.hidden = false;
    startCamera(video, root.dataset.urlJsqr, (code) => {
      video.hidden = true;
      scanned(code);
    }).then((stop) => { stopCamera = stop; }, (error) => nav.say("start", errorText(error)));
  } else if (target.dataset.key) typeTail(target.dataset.key);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  touched();
  propose();
});

listenForCards(() => nav.current === "start", scanned);
root.querySelector('[data-action="camera"]').hidden = !cameraPossible();
document.documentElement.dataset.ready = "true";
