// The list of people found: one big button each, with the address that tells namesakes apart.

import { format } from "../js/page.js";

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

/** One person as a button: name, address, phone hint, and whether they are already here. */
function resultButton(person, strings, onPick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "result";
  button.dataset.memberId = String(person.id);
  const details = span("result-details", "");
  details.append(span("", format(strings.phone_hint, { hint: person.phone_hint })));
  if (person.signed_in_at) {
    details.append(span("here", format(strings.signed_in_at, { time: person.signed_in_at })));
  }
  if (!person.eligible) details.append(span("observer", strings.observer_badge));
  button.append(span("result-name", person.name), span("result-address", person.address), details);
  button.addEventListener("click", () => onPick(person));
  return button;
}

/** Show `people` in a results pane and say in its note what to do next. */
export function showResults(pane, people, strings, onPick, { limit = 12 } = {}) {
  const list = pane.querySelector("[data-role=results]");
  list.replaceChildren(...people.map((person) => resultButton(person, strings, onPick)));
  const counts = new Map();
  for (const person of people) counts.set(person.name, (counts.get(person.name) || 0) + 1);
  const namesakes = [...counts.values()].some((n) => n > 1);
  const lines = [format(strings.found, { n: people.length })];
  if (people.length >= limit) lines.push(strings.many);
  if (namesakes) lines.push(strings.same_name);
  setNote(pane, ...lines);
}

/** Put a plain message in the pane's note and empty its list. */
export function showNote(pane, text) {
  pane.querySelector("[data-role=results]").replaceChildren();
  setNote(pane, text);
}

/** Back to the pane's first words, with nobody listed. */
export function clearResults(pane) {
  showNote(pane, pane.querySelector("[data-role=note]").dataset.intro);
}

function setNote(pane, ...lines) {
  const note = pane.querySelector("[data-role=note]");
  note.replaceChildren(...lines.map((line) => span("note-line", line)));
}
