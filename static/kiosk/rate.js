// The kiosk's rating screen: scan a resident card or a sign-in slip, a card's phone digits
// (static/kiosk/identify.js), then rate completed work (and the hall's open survey) with large
// buttons: a tap chooses, a comment may follow (phrases to tap), "send" records it, once.
// Nothing is kept between residents: "Done", or no touch for the kiosk's idle time, starts
// again. Every word comes from #rate-strings. Each screen is read aloud (the 朗读 button; by
// itself in elder mode, the kiosk's default), as on the sign-in screens (static/js/voice.js); a
// choice and the thanks are said as sentences.

import { request } from "../js/http.js";
import { format } from "../js/page.js";
import { voice } from "../js/voice.js";
import { residentSteps } from "./identify.js";
import { followVoice } from "./voice-live.js";
import { SlipFrame } from "./receipt.js";

const root = document.getElementById("rate");
const S = JSON.parse(document.getElementById("rate-strings").textContent);
const creditSlip = new SlipFrame(root.dataset.urlCreditSlip);
const resident = residentSteps(root, S, {
  onKnown: (answer) => {
    showCredit(answer.credit);
    showList(answer.actions, answer.survey);
  },
  onReset: () => {
    creditSlip.drop();
    showCredit(null);
    voice.resetVoter(); // nothing plays on: the next resident hears the start screen with 朗读
  },
  onShow: () => voice.shown(),
});
const { nav, errorText } = resident;

// An item rated (or a survey answered) shows the stars given; each is rated once, so its
// buttons are then off. Before that a tap only chooses: the comment and "send" follow.
function starsLine(item, stars) {
  item.dataset.rated = String(Boolean(stars));
  const yours = item.querySelector(".rate-yours");
  yours.textContent = stars ? format(S.yours, { stars }) : "";
  yours.dataset.read = stars ? format(S.yours_read, { stars }) : ""; // "5 / 5" is no sentence
  for (const button of item.querySelectorAll(".rate-star")) {
    button.setAttribute("aria-pressed", String(Number(button.dataset.stars) === stars));
    button.disabled = Boolean(stars);
  }
  if (stars) item.querySelector(".rate-more").hidden = true;
}

/** A day (2026-12-07) as said in the page's words (2026年12月7日): `words` has year, month, day. */
function dayRead(iso, words) {
  const [year, month, day] = iso.slice(0, 10).split("-").map(Number);
  return format(words, { year, month, day });
}

/** An item's facts, [shown, heard] each (heard: a date in words, no full stop inside). */
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
    label.dataset.read = ""; // read with the item
    heading.before(label);
  }
  item.querySelector(".rate-stars").setAttribute("aria-labelledby", heading.id);
  const line = item.querySelector(".rate-facts");
  const given = facts.filter(([shown]) => shown).map(([shown, heard]) => [shown, heard || shown]);
  const bare = (text) => text.replace(/[。.]$/, ""); // the decision's full stop, before a "·"
  line.textContent = given.map(([shown]) => bare(shown)).join(" · ");
  line.dataset.read = given.map(([, heard]) => bare(heard)).join("，");
  starsLine(item, stars);
  list.append(item);
}

function showList(actions, survey) {
  const list = nav.part("choose", "list");
  const template = nav.part("choose", "item");
  list.replaceChildren();
  nav.say("choose", actions.length || survey ? "" : S.not_done_yet, "ok");
  if (survey) {
    const until = survey.closes_at
      ? [format(S.survey_until, { day: survey.closes_at.slice(0, 10) }), dayRead(survey.closes_at, S.survey_until_read)]
      : [""];
    addItem(list, template, survey.id, survey.title, [[survey.question], until], survey.stars, "survey");
  }
  for (const action of actions) {
    const done = action.completed_on
      ? [format(S.completed_on, { day: action.completed_on }), dayRead(action.completed_on, S.completed_on_read)]
      : [""];
    addItem(list, template, action.id, action.title, [
      [action.decision], [format(S.responsible, { party: action.responsible })], done,
    ], action.stars, "action");
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
  if (voice.elder()) {
    voice.read(format(S.chosen_read, {
      title: item.querySelector(".rate-title").textContent,
      stars: button.dataset.stars,
      word: button.lastChild.textContent.trim(), // "满意", after its number
      send: item.querySelector(".rate-send").textContent.trim(),
    }));
  }
}

/** A line on the list's message line: heard too in elder mode (the screen stays, so nothing
 *  else reads it). */
function tell(text, kind) {
  nav.say("choose", text, kind);
  if (voice.elder()) voice.read(text);
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
    tell(S.need_stars);
    return;
  }
  const body = { ...resident.body(), stars, comment: item.querySelector(".rate-comment").value };
  if (item.dataset.kind === "survey") body.survey_id = Number(item.dataset.survey);
  else body.action_id = Number(item.dataset.action);
  button.disabled = true;
  try {
    await request(root.dataset.urlRate, { method: "POST", body });
    starsLine(item, stars);
    const title = item.querySelector(".rate-title").textContent;
    tell(format(item.dataset.kind === "survey" ? S.survey_thanks : S.thanks,
      { name: resident.name(), title }), "ok");
  } catch (error) {
    tell(errorText(error));
  } finally {
    button.disabled = false;
  }
}

root.addEventListener("click", (event) => {
  resident.touched();
  const target = event.target.closest("button");
  if (!target || resident.tap(target)) return;
  if (target.classList.contains("rate-star")) choose(target);
  else if (target.classList.contains("rate-chip")) addPhrase(target);
  else if (target.classList.contains("rate-send")) send(target);
  else if (target.dataset.action === "credit-slip") {
    creditSlip.printAsked(resident.body(), nav.part("choose", "print-status"), S);
  }
});

voice.setReader((auto) => voice.wordsOf(nav.sections[nav.current], auto));
resident.start();
followVoice(root, S);
