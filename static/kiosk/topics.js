// The kiosk's topics screen: scan a resident card or a sign-in slip, a card's phone digits
// (static/kiosk/identify.js), then co-sign topics of one's household with large buttons or
// propose one (a clerk may write it: 代笔). The answers to one's own topics since last time are
// greeted first. Nothing is kept between residents: "Done", or no touch for the kiosk's idle
// time, starts again. Each screen is read aloud (the 朗读 button; by itself in elder mode, the
// kiosk's default), as on the sign-in screens (static/js/voice.js).

import { request } from "../js/http.js";
import { format } from "../js/page.js";
import { voice } from "../js/voice.js";
import { residentSteps } from "./identify.js";

const root = document.getElementById("topics");
const S = JSON.parse(document.getElementById("topics-strings").textContent);
const resident = residentSteps(root, S, {
  onKnown: (answer) => {
    showNotices(answer.notices);
    showList(answer.topics);
    nav.show("choose");
  },
  onReset: () => {
    form.reset();
    voice.resetVoter(); // nothing plays on: the next resident hears the start screen with 朗读
  },
  onShow: () => voice.shown(),
});
const { nav, errorText } = resident;
const form = nav.part("propose", "form");

function figures(topic, words = S.figures) {
  return format(words, {
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
    line.dataset.read = ""; // read aloud with the screen
    list.append(line);
  }
}

function showTopic(item, topic) {
  item.querySelector(".topic-bar span").style.width = `${topic.percent}%`;
  const line = item.querySelector("[data-role=figures]");
  line.textContent = figures(topic);
  line.dataset.read = figures(topic, S.figures_read); // "3 / 20" is no sentence to hear
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
    const facts = item.querySelector(".rate-facts");
    facts.textContent = `${topic.category} · ${topic.scope}`;
    facts.dataset.read = `${topic.category}，${topic.scope}`;
    showTopic(item, topic);
    list.append(item);
  }
}

/** What became of a co-signature, on the list's message line: heard too in elder mode (the
 *  screen stays, so nothing else reads it). */
function tell(text, kind) {
  nav.say("choose", text, kind);
  if (voice.elder()) voice.read(text);
}

async function sign(button) {
  const item = button.closest("[data-topic]");
  nav.say("choose", "");
  try {
    const answer = await request(root.dataset.urlSign, {
      method: "POST", body: { ...resident.body(), topic_id: Number(item.dataset.topic) },
    });
    const t = answer.topic;
    showTopic(item, { ...t, threshold: t.threshold_percent, mine: true });
    tell(format(S.signed, { name: answer.name }), "ok");
  } catch (error) {
    tell(errorText(error));
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
        ...resident.body(), title: fields.get("title"), body: fields.get("body") || "",
        category_id: Number(fields.get("category_id")), scope: fields.get("scope"),
        scribe: fields.get("scribe") || "",
      },
    });
    form.reset();
    await resident.identify();
    nav.say("choose", format(S.proposed, { title: topic.title }), "ok");
  } catch (error) {
    nav.say("propose", errorText(error));
  }
}

root.addEventListener("click", (event) => {
  resident.touched();
  const target = event.target.closest("button");
  if (!target) return;
  const action = target.dataset.action;
  if (action === "back" && nav.current === "propose") nav.show(nav.previous("choose"), { remember: false });
  else if (resident.tap(target)) return;
  else if (action === "propose") nav.show("propose");
  else if (action === "sign") sign(target);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  resident.touched();
  propose();
});

voice.setReader((auto) => voice.wordsOf(nav.sections[nav.current], auto));
resident.start();
