// The clerk desk's agenda view: correct items (PATCH) and add new ones (POST) through the API.
// What happens is said on the desk's message line (clerk-desk.js).

import { failed, say } from "./clerk-desk.js";
import { request } from "./http.js";
import { pageData } from "./page.js";

var texts = pageData("agenda-texts");
var list = document.getElementById("agenda-items");
var template = document.getElementById("agenda-item-template");

function send(method, url, body) {
  return request(url, { method: method, body: body });
}

function refused(error) {
  failed(error, texts.failed);
}

function values(form) {
  return {
    title: form.elements.title.value,
    planned_minutes: Number(form.elements.planned_minutes.value),
    kind: form.elements.kind.value,
    description: form.elements.description.value,
  };
}

function render(items) {
  list.textContent = "";
  items.forEach(function (item) {
    var node = template.content.cloneNode(true);
    var form = node.querySelector("form");
    form.dataset.itemId = item.id;
    form.elements.title.value = item.title;
    form.elements.planned_minutes.value = item.planned_minutes;
    form.elements.kind.value = item.kind;
    form.elements.description.value = item.description;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send("PATCH", texts.list + "/" + item.id, values(form))
        .then(function (data) { render(data.items); say(texts.saved); }, refused);
    });
    list.appendChild(node);
  });
}

function load() {
  request(texts.list).then(function (data) { render(data.items || []); }, refused);
}

document.getElementById("agenda-add").addEventListener("submit", function (event) {
  event.preventDefault();
  var form = event.target;
  send("POST", texts.list, values(form))
    .then(function (data) { render(data.items); form.reset(); say(texts.added); }, refused);
});
load();
