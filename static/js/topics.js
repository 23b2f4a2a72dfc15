/* Residents' topics on the notice board and the phone page: co-sign and propose through the
 * JSON API (the board asks for the personal code, the phone page has it), and move each bar
 * live when a signature arrives anywhere (topic.progress over /board). */

import { request } from "./http.js";
import { connect } from "./live.js";
import { format, pageData } from "./page.js";

const data = pageData();
const texts = data.texts || {};
const TOKEN_KEY = "yishi.board.token";
const tokenInput = document.getElementById("resident-token");

/** The personal code typed, or pasted as the whole address of the personal page (/v/<code>). */
function tokenOf(text) {
  const value = String(text || "").trim();
  const match = value.match(/\/v\/([^/?#\s]+)/);
  return match ? match[1] : value;
}

function say(node, message, isError) {
  node.textContent = message;
  node.classList.toggle("is-error", Boolean(isError));
}

function token(result) {
  if (data.token) return data.token;
  const value = tokenOf(tokenInput ? tokenInput.value : "");
  if (!value) {
    say(result, texts.need_token, true);
    if (tokenInput) tokenInput.focus();
  }
  return value;
}

function showProgress(progress) {
  const card = document.querySelector(`[data-topic="${progress.id}"]`);
  if (!card) return;
  const box = card.querySelector("[data-topic-progress]");
  box.querySelector(".topic-bar span").style.width = `${progress.percent}%`;
  box.querySelector("[data-role=figures]").textContent = format(texts.figures, {
    signed: progress.signed, households: progress.households, needed: progress.needed,
    threshold: card.dataset.threshold,
  });
  box.classList.toggle("is-met", progress.met);
  card.querySelector("[data-role=met]").hidden = !progress.met;
}

if (tokenInput) {
  tokenInput.value = window.sessionStorage.getItem(TOKEN_KEY) || "";
  tokenInput.addEventListener("change", () => {
    window.sessionStorage.setItem(TOKEN_KEY, tokenOf(tokenInput.value));
  });
}

document.querySelectorAll("[data-topic] [data-action=sign]").forEach((button) => {
  const card = button.closest("[data-topic]");
  const result = card.querySelector("[data-role=result]");
  button.addEventListener("click", async () => {
    const code = token(result);
    if (!code) return;
    try {
      const answer = await request(`/api/v1/topics/${card.dataset.topic}/signatures`, {
        method: "POST", body: { token: code, channel: data.channel },
      });
      showProgress(answer.topic);
      say(result, format(texts.signed, { name: answer.name }));
    } catch (error) {
      say(result, error.message || texts.failed, true);
    }
  });
});

const form = document.querySelector(".topic-propose");
if (form) {
  const result = form.querySelector("[data-role=result]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const code = token(result);
    if (!code) return;
    const fields = new FormData(form);
    try {
      const topic = await request("/api/v1/topics", {
        method: "POST",
        body: {
          token: code, channel: data.channel, title: fields.get("title"),
          body: fields.get("body") || "", category_id: Number(fields.get("category_id")),
          scope: fields.get("scope"),
        },
      });
      say(result, format(texts.proposed, { title: topic.title }));
      form.reset();
      window.setTimeout(() => window.location.reload(), 2500);
    } catch (error) {
      say(result, error.message || texts.failed, true);
    }
  });
}

const live = connect({ namespace: "/board", join: { meeting_ids: [] } });
live.on("topic.progress", showProgress);
document.documentElement.dataset.ready = "true";
