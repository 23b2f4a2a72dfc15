/* Signing people in at the clerk desk: find a member, then sign them in or choose them for a
 * proxy (as the one represented, or as the proxy); a proxy's mandate, checked now or later; a
 * guest. Each change reloads the attendance list. */

import { load, rowByMember } from "./clerk-attendance.js";
import { base, clerkName, data, failed, fmt, say, t, time } from "./clerk-desk.js";
import { el } from "./dom.js";
import { request } from "./http.js";

var $ = function (id) { return document.getElementById(id); };
var proxy = { represented: null, member: null };

function isEligible(member) {
  var groups = data.eligible_groups, buildings = data.eligible_buildings || [];
  return (!groups.length || groups.indexOf(member.group) >= 0) &&
    (!buildings.length || buildings.indexOf(member.building) >= 0);
}

/* Finding a member, then signing them in or choosing them for a proxy. */
$("member-search").addEventListener("submit", function (event) {
  event.preventDefault();
  var q = $("member-q").value.trim();
  if (!q) return;
  var results = $("member-results");
  results.replaceChildren(el("li", { className: "empty", text: t.searching }));
  request(data.urls.members, { query: { limit: 8, q: q } }).then(function (found) {
    results.replaceChildren.apply(results, found.members.length ? found.members.map(resultItem)
      : [el("li", { className: "empty", text: fmt("no_results", { q: q }) })]);
  }, function (error) { results.replaceChildren(); failed(error); });
});

function resultItem(member) {
  var row = rowByMember(member.id);
  var notes = [member.address, data.group_names[member.group] || member.group, member.phone_hint];
  if (!isEligible(member)) notes.push(t.not_eligible);
  if (row && !row.signed_out_at && row.presence === "in_person") notes.push(fmt("here_since", { time: time(row.signed_in_at) }));
  if (row && !row.signed_out_at && row.presence === "proxy") notes.push(fmt("by_proxy", { proxy: row.proxy_name || "" }));
  return el("li", { "data-member-id": String(member.id) }, [
    el("span", { className: "who" }, [el("b", { text: member.name }), el("span", { className: "notes", text: notes.join(" · ") })]),
    el("span", { className: "buttons" }, [
      el("button", { type: "button", className: "small", text: t.sign_in, "aria-label": t.sign_in + " " + member.name,
                     onclick: function () { signIn(member); } }),
      el("button", { type: "button", className: "secondary small", text: t.as_represented,
                     "aria-label": t.as_represented + ": " + member.name, onclick: function () { chooseRepresented(member); } }),
      el("button", { type: "button", className: "secondary small", text: t.as_proxy,
                     "aria-label": t.as_proxy + ": " + member.name, onclick: function () { chooseProxy(member); } }),
    ]),
  ]);
}

function signIn(member) {
  request(base + "/sign-in", { method: "POST", body: { member_id: member.id } }).then(function (receipt) {
    var lines = [el("p", { className: "done", text: receipt.first_signed_in_at
      ? fmt("signed_in_again", { name: receipt.name, time: time(receipt.first_signed_in_at) })
      : fmt("signed_in", { name: receipt.name }) })];
    if (!receipt.eligible) lines.push(el("p", { text: t.not_eligible }));
    if (receipt.replaced_proxy) lines.push(el("p", { text: t.replaced_proxy }));
    showPersonal(lines, receipt);
    say(fmt("signed_in", { name: receipt.name }));
    load();
  }, failed);
}

/* The personal page of a sign-in just made (shown once: its token is kept by nobody), with the
 * button that prints it as a slip. */
function showPersonal(lines, receipt) {
  var box = $("sign-in-result");
  lines.push(el("p", {}, [
    t.personal_page + ": ",
    el("a", { href: receipt.phone_url, target: "_blank", rel: "noopener", "data-testid": "phone-url", text: receipt.phone_url }),
  ]));
  lines.push(slipForm(receipt.phone_url));
  lines.push(el("p", { className: "hint", text: t.personal_page_hint }));
  box.replaceChildren.apply(box, lines);
  box.hidden = false;
}

/* A printable slip (QR code and address) in a new tab; the token goes in the body, not the URL. */
function slipForm(phoneUrl) {
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  return el("form", { method: "post", action: data.urls.slip, target: "_blank", className: "slip-form" }, [
    el("input", { type: "hidden", name: "csrf_token", value: csrf }),
    el("input", { type: "hidden", name: "phone_url", value: phoneUrl }),
    el("button", { type: "submit", className: "secondary small", "data-testid": "print-slip", text: t.print_slip }),
  ]);
}

/* Proxies. */
function chooseRepresented(member) {
  proxy.represented = member;
  var node = $("proxy-represented");
  node.textContent = member.name + " " + member.address;
  node.dataset.empty = "false";
  $("proxy-name").focus();
}
function chooseProxy(member) {
  proxy.member = member;
  $("proxy-member").textContent = member.name + " " + member.address;
  $("proxy-member-line").hidden = false;
  $("proxy-name").value = member.name;
  $("proxy-name").disabled = true;
}
function clearProxyMember() {
  proxy.member = null;
  $("proxy-member-line").hidden = true;
  $("proxy-name").disabled = false;
  $("proxy-name").value = "";
}
$("proxy-member-clear").addEventListener("click", function () { clearProxyMember(); $("proxy-name").focus(); });

$("proxy-form").addEventListener("submit", function (event) {
  event.preventDefault();
  if (!proxy.represented) { say(t.choose_represented, true); $("member-q").focus(); return; }
  var body = { represented_id: proxy.represented.id };
  if (proxy.member) body.proxy_member_id = proxy.member.id;
  else body.proxy_name = $("proxy-name").value.trim() || null;
  if ($("proxy-checked").checked) {
    body.checked_by = clerkName();
    if (!body.checked_by) return;
  }
  request(base + "/proxies", { method: "POST", body: body }).then(function (receipt) {
    var saved = fmt("proxy_saved", { proxy: receipt.proxy_name || "", name: receipt.name }) + (body.checked_by ? "" : " " + t.proxy_pending);
    showPersonal([el("p", { className: "done", text: saved })], receipt);
    say(saved);
    proxy.represented = null;
    var node = $("proxy-represented");
    node.textContent = t.nobody_chosen;
    node.dataset.empty = "true";
    clearProxyMember();
    // Unticked for the next proxy: each mandate is checked on paper, never by default.
    $("proxy-checked").checked = false;
    load();
  }, failed);
});

/* Guests. */
$("guest-form").addEventListener("submit", function (event) {
  event.preventDefault();
  var name = $("guest-name").value.trim();
  request(base + "/guests", { method: "POST", body: { name: name, note: $("guest-note").value.trim() } }).then(function () {
    say(fmt("guest_saved", { name: name }));
    $("guest-form").reset();
    load();
  }, failed);
});
