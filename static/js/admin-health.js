/* The administrator's health page (templates/admin_health.html): the box's clock against this
 * browser's. Only the browser knows its own time, so it sends it (/admin/health.json?browser=)
 * and the box answers how far apart they are; when more than 2 minutes, the page offers to set
 * the box's clock to this browser's time (POST /admin/health/clock, audited on the box). */
import { request } from "./http.js";

const words = JSON.parse(document.getElementById("page-data").textContent);
const section = document.querySelector('[data-testid="health-clock"]');
const result = section.querySelector('[data-field="clock-result"]');
const fix = section.querySelector('[data-field="clock-fix"]');
const button = section.querySelector('[data-testid="set-clock"]');

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => values[key]);
}

/** Add a warning to "Needs attention" (the clock's is known only here, in the browser). */
function warn(key, text) {
  const section = document.querySelector('[data-testid="health-warnings"]');
  if (section.querySelector(`[data-warning="${key}"]`)) return;
  const item = document.createElement("li");
  item.dataset.warning = key;
  item.textContent = text;
  section.querySelector("ul").prepend(item);
  section.hidden = false;
}

function unwarn(key) {
  const section = document.querySelector('[data-testid="health-warnings"]');
  section.querySelector(`[data-warning="${key}"]`)?.remove();
  section.hidden = !section.querySelector("li");
}

async function compare() {
  try {
    const facts = await request("/admin/health.json", { query: { browser: Date.now() } });
    const seconds = facts.clock_offset_seconds;
    section.dataset.off = String(facts.clock_off);
    result.textContent = facts.clock_off
      ? fill(seconds < 0 ? words.behind : words.ahead, { minutes: Math.abs(seconds / 60).toFixed(1) })
      : fill(words.same, { seconds: Math.round(seconds) });
    fix.hidden = !facts.clock_off;
    if (facts.clock_off) warn("clock_off", facts.warning_words.clock_off);
  } catch (error) {
    result.textContent = error.message || words.failed;
  }
}

button.addEventListener("click", async () => {
  button.disabled = true;
  try {
    const answer = await request("/admin/health/clock", { method: "POST", body: { browser: Date.now() } });
    result.textContent = fill(words.set, { time: new Date(answer.set_to).toLocaleString() });
    fix.hidden = true;
    section.dataset.set = "true";
    unwarn("clock_off");
  } catch (error) {
    result.textContent = error.message || words.failed;
  } finally {
    button.disabled = false;
  }
});

compare();
