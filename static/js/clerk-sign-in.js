/* Signing people in at the clerk desk: find a member, then sign them in or choose them for a
 * proxy (as the one represented, or as the proxy); a proxy's mandate, checked now or later; a
 * guest. Each change reloads the attendance list. */

import { load, rowByMember } from "./clerk-attendance.js";
import { base, clerkName, data, failed, fmt, say, t, time } from "./clerk-desk.js";
import { el } from "./dom.js";
import { request } from "./http.js";

var $ = function (id) { return document.getElementById(id); };
var proxy = { represented: null, member: null };

function isEligibleGroup(group) {
  return !data.eligible_groups.length || data.eligible_groups.indexOf(group) >= 0;
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
  if (!isEligibleGroup(member.group)) notes.push(t.not_eligible);
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
    var box = $("sign-in-result");
    var lines = [el("p", { className: "done", text: receipt.first_signed_in_at
      ? fmt("signed_in_again", { name: receipt.name, time: time(receipt.first_signed_in_at) })
      : fmt("signed_in", { name: receipt.name }) })];
    if (!receipt.eligible) lines.push(el("p", { text: t.not_eligible }));
    if (receipt.replaced_proxy) lines.push(el("p", { text: t.replaced_proxy }));
    lines.push(el("p", {}, [
      t.personal_page + ": ",
      el("a", { href: receipt.phone_url, target: "_blank", rel: "noopener", "data-testid": "phone-url", text: receipt.phone_url }),
    ]));
    lines.push(el("p", { className: "hint", text: t.personal_page_hint }));
    box.replaceChildren.apply(box, lines);
    box.hidden = false;
    say(fmt("signed_in", { name: receipt.name }));
    load();
  }, failed);
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
    say(fmt("proxy_saved", { proxy: receipt.proxy_name || "", name: receipt.name }) + (body.checked_by ? "" : " " + t.proxy_pending));
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
