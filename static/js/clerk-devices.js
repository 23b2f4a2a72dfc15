// The clerk desk's devices view: make a pairing code, list the paired devices, revoke one.
// What happens is said on the desk's message line (clerk-desk.js).

import { failed, say } from "./clerk-desk.js";
import { request } from "./http.js";
import { format, pageData } from "./page.js";

var texts = pageData("device-texts");
var form = document.getElementById("pair-form");
var shown = document.getElementById("pair-code");
var rows = document.getElementById("device-rows");
function when(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang, {
    month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit",
  }) : texts.never;
}

function cell(row, text) {
  var td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function render(devices) {
  rows.textContent = "";
  if (!devices.length) {
    var empty = document.createElement("tr");
    var td = cell(empty, texts.none);
    td.colSpan = 5;
    rows.appendChild(empty);
    return;
  }
  devices.forEach(function (device) {
    var row = document.createElement("tr");
    row.dataset.device = device.id;
    cell(row, device.name);
    cell(row, texts.kinds[device.kind] || device.kind);
    cell(row, when(device.paired_at));
    cell(row, when(device.last_seen_at));
    var last = cell(row, "");
    if (device.revoked_at) {
      last.textContent = texts.revoked;
      row.classList.add("device-revoked");
    } else {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = texts.revoke;
      button.setAttribute("aria-label", texts.revoke + " " + device.name);
      button.addEventListener("click", function () { revoke(device); });
      last.appendChild(button);
    }
    rows.appendChild(row);
  });
}

function load() {
  return request("/clerk/api/devices")
    .then(function (answer) { render(answer.devices); }, failed);
}

function revoke(device) {
  if (!window.confirm(format(texts.confirm, { name: device.name }))) return;
  request("/clerk/api/devices/" + device.id + "/revoke", { method: "POST", body: {} })
    .then(function (answer) { say(answer.message); return load(); }, failed);
}

form.addEventListener("submit", function (event) {
  event.preventDefault();
  var body = { kind: form.elements.kind.value, name: form.elements.name.value };
  request("/clerk/api/devices/pairing", { method: "POST", body: body }).then(function (answer) {
    shown.querySelector("[data-field=code]").textContent = answer.code;
    var until = new Date(answer.expires_at).toLocaleTimeString(document.documentElement.lang, {
      hour: "2-digit", minute: "2-digit",
    });
    shown.querySelector("[data-field=until]").textContent = format(texts.until, { time: until });
    shown.hidden = false;
    form.reset();
  }, failed);
});

// Listed when the view is opened, not with every load of the desk.
document.querySelector('.desk-views [data-view="devices"]').addEventListener("click", load);
