// The kiosk's rating screen: scan a resident card or a sign-in slip, a card's phone digits
// (static/kiosk/identify.js), then rate completed work (and the hall's open survey) with large
// buttons: a tap chooses, a comment may follow (phrases to tap), "send" records it, once.
// Nothing is kept between residents: "Done", or no touch for the kiosk's idle time, starts
// again. Every word comes from #rate-strings.

import { request } from "../js/http.js";
import { format } from "../js/page.js";
import { residentSteps } from "./identify.js";
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
  },
});
const { nav, errorText } = resident;

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
  const body = { ...resident.body(), stars, comment: item.querySelector(".rate-comment").value };
  if (item.dataset.kind === "survey") body.survey_id = Number(item.dataset.survey);
  else body.action_id = Number(item.dataset.action);
  button.disabled = true;
  try {
    await request(root.dataset.urlRate, { method: "POST", body });
    starsLine(item, stars);
    const title = item.querySelector(".rate-title").textContent;
    nav.say("choose", format(item.dataset.kind === "survey" ? S.survey_thanks : S.thanks,
      { name: resident.name(), title }), "ok");
  } catch (error) {
    nav.say("choose", errorText(error));
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

resident.start();
