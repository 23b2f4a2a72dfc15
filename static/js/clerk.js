/* The clerk desk: the attendance list and its filters, manual sign-in and -out, proxies and their
 * mandates, guests, kiosk alerts. Reads and writes through the JSON API; live over /clerk.
 * The voting view is in clerk-voting.js. */
(function () {
  "use strict";
  var data = Yishi.pageData();
  var t = data.texts;
  var base = data.urls.meeting;
  var CLERK_KEY = "yishi.clerk.name";
  var state = { rows: [], guests: [], represented: null, proxyMember: null, reload: null };
  var $ = function (id) { return document.getElementById(id); };
  var timeFormat = new Intl.DateTimeFormat(data.lang, {
    timeZone: data.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  function time(iso) { return iso ? timeFormat.format(new Date(iso)) : ""; }
  function fmt(key, values) { return Yishi.format(t[key], values); }
  function api(method, path, body) { return Yishi.api(method, path, body, t.failed); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* Messages: one line under the header; errors are announced at once. */
  function say(text, isError) {
    var box = $("desk-message");
    box.textContent = text;
    box.classList.toggle("is-error", Boolean(isError));
    box.setAttribute("role", isError ? "alert" : "status");
    box.hidden = false;
  }
  function failed(error) {
    if (error && String(error.code).indexOf("storage_") === 0) storageAlarm(error.code);
    say((error && error.message) || t.failed, true);
  }

  /* The database cannot take a write (full disk, read-only, disk error): a banner that stays
   * until the server says a write worked again. */
  function storageAlarm(code) {
    var box = $("storage-alarm");
    box.textContent = code ? t[code] || t.storage_failed : "";
    box.hidden = !code;
  }

  /* The clerk on duty: typed once, remembered by this browser. */
  var clerkInput = $("clerk-name");
  clerkInput.value = window.localStorage.getItem(CLERK_KEY) || "";
  clerkInput.addEventListener("input", function () {
    window.localStorage.setItem(CLERK_KEY, clerkInput.value.trim());
  });
  function clerkName() {
    var name = clerkInput.value.trim();
    if (!name) {
      say(t.need_clerk_name, true);
      clerkInput.focus();
    }
    return name;
  }

  /* The live quorum summary in the header. */
  function renderQuorum(snapshot) {
    var box = document.querySelector(".desk-quorum");
    box.dataset.met = String(snapshot.quorum_met);
    box.querySelector('[data-field="verdict"]').textContent = snapshot.quorum_met ? t.met : t.not_met;
    snapshot.clauses.forEach(function (clause) {
      var node = box.querySelector('[data-field="' + clause.measure + '"]');
      if (!node) return;
      node.textContent = clause.measure === "headcount"
        ? clause.present + " / " + clause.total + " · " + clause.percent + "%"
        : clause.percent + "%";
    });
    box.querySelectorAll("[data-count]").forEach(function (node) {
      node.textContent = snapshot[node.dataset.count];
    });
    scheduleReload();
  }

  /* The attendance list. */
  function isEligibleGroup(group) {
    return !data.eligible_groups.length || data.eligible_groups.indexOf(group) >= 0;
  }
  function buildingOf(address) {
    var best = "";
    data.buildings.forEach(function (b) { if (address.indexOf(b) === 0 && b.length > best.length) best = b; });
    return best;
  }
  function isPending(row) { return row.presence === "proxy" && row.mandate_status === "pending" && !row.signed_out_at; }
  function rowByMember(memberId) {
    for (var i = 0; i < state.rows.length; i++) if (state.rows[i].member_id === memberId) return state.rows[i];
    return null;
  }

  function load() {
    return api("GET", base + "/attendance").then(function (list) {
      state.rows = list.attendance.slice().reverse();
      state.guests = list.guests.slice().reverse();
      renderList();
      renderPending();
    }, failed);
  }
  function scheduleReload() {
    // A newer snapshot (live, or after a reconnect) means the list or the alerts changed;
    // several in a burst become one reload.
    window.clearTimeout(state.reload);
    state.reload = window.setTimeout(function () { load(); loadAlerts(); }, 150);
  }

  function statusOf(row) {
    var parts = [];
    if (row.signed_out_at) parts.push(fmt("signed_out_at", { time: time(row.signed_out_at) }));
    else if (isPending(row)) parts.push(t.pending);
    else if (row.mandate_status === "refused") parts.push(t.refused_status);
    else parts.push(t.present);
    if (row.mandate_checked_by && row.mandate_status !== "pending") {
      parts.push(fmt("checked_by", { clerk: row.mandate_checked_by }));
    }
    if (!row.eligible) parts.push(t.not_eligible);
    return parts.join(" · ");
  }

  function memberRow(row) {
    var actions = [];
    if (!row.signed_out_at) {
      actions.push(el("button", {
        type: "button", className: "secondary small", text: t.sign_out,
        "aria-label": t.sign_out + " " + row.name, onclick: function () { signOut(row); },
      }));
    }
    return el("tr", { "data-member-id": String(row.member_id), "data-state": row.signed_out_at ? "signed_out" : (isPending(row) ? "pending" : "present") }, [
      el("th", { scope: "row", text: row.name }),
      el("td", { text: row.address }),
      el("td", { text: data.group_names[row.group] || row.group }),
      el("td", { text: row.presence === "proxy" ? fmt("by_proxy", { proxy: row.proxy_name || "" }) : t.in_person }),
      el("td", {}, [time(row.signed_in_at), el("span", { className: "sub", text: t.channels[row.channel] || row.channel })]),
      el("td", { text: statusOf(row) }),
      el("td", { className: "actions" }, actions),
    ]);
  }
  function guestRow(guest) {
    return el("tr", { "data-state": "guest" }, [
      el("th", { scope: "row", text: guest.name }),
      el("td", { text: guest.note }),
      el("td", { text: "" }),
      el("td", { text: t.guest }),
      el("td", { text: time(guest.signed_in_at) }),
      el("td", { text: t.not_eligible }),
      el("td", {}),
    ]);
  }

  function renderList() {
    var show = $("filter-state").value;
    var group = $("filter-group").value;
    var building = $("filter-building").value;
    var name = $("filter-name").value.trim();
    var rows = [];
    if (show !== "guests") {
      state.rows.forEach(function (row) {
        if (show === "present" && (row.signed_out_at || row.mandate_status === "refused")) return;
        if (show === "signed_out" && !row.signed_out_at) return;
        if (show === "pending" && !isPending(row)) return;
        if (group && row.group !== group) return;
        if (building && buildingOf(row.address) !== building) return;
        if (name && row.name.indexOf(name) < 0 && (row.proxy_name || "").indexOf(name) < 0) return;
        rows.push(memberRow(row));
      });
    }
    if ((show === "all" || show === "guests") && !group && !building) {
      state.guests.forEach(function (guest) {
        if (name && guest.name.indexOf(name) < 0) return;
        rows.push(guestRow(guest));
      });
    }
    var body = document.querySelector("#attendance-table tbody");
    body.replaceChildren.apply(body, rows.length ? rows : [
      el("tr", {}, [el("td", { colspan: "7", className: "empty", text: t.no_rows })]),
    ]);
    $("list-count").textContent = fmt("rows", { shown: rows.length, total: state.rows.length + state.guests.length });
  }
  ["filter-state", "filter-group", "filter-building"].forEach(function (id) { $(id).addEventListener("change", renderList); });
  $("filter-name").addEventListener("input", renderList);
  $("filters").addEventListener("submit", function (event) { event.preventDefault(); });

  /* Mandates waiting for a clerk. */
  function renderPending() {
    var list = $("pending-list");
    var waiting = state.rows.filter(isPending);
    list.replaceChildren.apply(list, waiting.length ? waiting.map(function (row) {
      return el("li", { "data-attendance-id": String(row.attendance_id) }, [
        el("span", { className: "who" }, [
          el("b", { text: fmt("represents", { proxy: row.proxy_name || "", name: row.name }) }),
          el("span", { className: "notes", text: row.address + " · " + time(row.signed_in_at) }),
        ]),
        el("span", { className: "buttons" }, [
          el("button", { type: "button", className: "small", text: t.accept, "aria-label": t.accept + " " + row.name,
                         onclick: function () { decide(row, true); } }),
          el("button", { type: "button", className: "secondary small", text: t.refuse, "aria-label": t.refuse + " " + row.name,
                         onclick: function () { decide(row, false); } }),
        ]),
      ]);
    }) : [el("li", { className: "empty", text: t.no_pending })]);
  }
  function decide(row, accept) {
    var clerk = clerkName();
    if (!clerk) return;
    api("POST", base + "/proxies/" + row.attendance_id + "/decision", { accept: accept, clerk: clerk })
      .then(function () { say(fmt(accept ? "accepted" : "refused", { name: row.name })); load(); }, failed);
  }

  function signOut(row) {
    if (!window.confirm(fmt("confirm_sign_out", { name: row.name }))) return;
    api("POST", base + "/sign-out", { member_id: row.member_id })
      .then(function () { say(fmt("signed_out", { name: row.name })); load(); }, failed);
  }

  /* Finding a member, then signing them in or choosing them for a proxy. */
  $("member-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var q = $("member-q").value.trim();
    if (!q) return;
    var results = $("member-results");
    results.replaceChildren(el("li", { className: "empty", text: t.searching }));
    api("GET", data.urls.members + "?limit=8&q=" + encodeURIComponent(q)).then(function (found) {
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
    api("POST", base + "/sign-in", { member_id: member.id }).then(function (receipt) {
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
    state.represented = member;
    var node = $("proxy-represented");
    node.textContent = member.name + " " + member.address;
    node.dataset.empty = "false";
    $("proxy-name").focus();
  }
  function chooseProxy(member) {
    state.proxyMember = member;
    $("proxy-member").textContent = member.name + " " + member.address;
    $("proxy-member-line").hidden = false;
    $("proxy-name").value = member.name;
    $("proxy-name").disabled = true;
  }
  function clearProxyMember() {
    state.proxyMember = null;
    $("proxy-member-line").hidden = true;
    $("proxy-name").disabled = false;
    $("proxy-name").value = "";
  }
  $("proxy-member-clear").addEventListener("click", function () { clearProxyMember(); $("proxy-name").focus(); });

  $("proxy-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (!state.represented) { say(t.choose_represented, true); $("member-q").focus(); return; }
    var body = { represented_id: state.represented.id };
    if (state.proxyMember) body.proxy_member_id = state.proxyMember.id;
    else body.proxy_name = $("proxy-name").value.trim() || null;
    if ($("proxy-checked").checked) {
      body.checked_by = clerkName();
      if (!body.checked_by) return;
    }
    api("POST", base + "/proxies", body).then(function (receipt) {
      say(fmt("proxy_saved", { proxy: receipt.proxy_name || "", name: receipt.name }) + (body.checked_by ? "" : " " + t.proxy_pending));
      state.represented = null;
      var node = $("proxy-represented");
      node.textContent = t.nobody_chosen;
      node.dataset.empty = "true";
      clearProxyMember();
      load();
    }, failed);
  });

  /* Guests. */
  $("guest-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var name = $("guest-name").value.trim();
    api("POST", base + "/guests", { name: name, note: $("guest-note").value.trim() }).then(function () {
      say(fmt("guest_saved", { name: name }));
      $("guest-form").reset();
      load();
    }, failed);
  });

  /* Kiosk lockouts, personal codes made again, and other alerts: who and when. */
  var ALERT_WORDS = { kiosk_lockout: "lockout", token_reissued: "reissued" };
  function alertWords(kind, name) {
    return ALERT_WORDS[kind] ? fmt(ALERT_WORDS[kind], { name: name }) : name;
  }
  function loadAlerts() {
    return api("GET", base + "/alerts").then(function (list) {
      var box = $("alerts");
      var items = list.alerts.map(function (alert) {
        var words = alertWords(alert.kind, alert.detail);
        var buttons = [];
        if (alert.kind === "kiosk_lockout" && alert.member_id !== null) {
          buttons.push(el("button", { type: "button", className: "small", text: t.unlock,
                                      "aria-label": t.unlock + ": " + alert.detail,
                                      onclick: function () { unlock(alert); } }));
        }
        buttons.push(el("button", { type: "button", className: "small secondary", text: t.resolve,
                                    "aria-label": t.resolve + ": " + alert.detail,
                                    onclick: function () { resolve(alert); } }));
        return el("li", { "data-alert-id": String(alert.id), "data-alert-kind": alert.kind }, [
          el("span", { className: "who" }, [el("b", { text: time(alert.created_at) }), " " + words]),
          el("span", { className: "buttons" }, buttons),
        ]);
      });
      $("alert-list").replaceChildren.apply($("alert-list"), items);
      box.hidden = items.length === 0;
    }, failed);
  }
  function resolve(alert) {
    api("POST", base + "/alerts/" + alert.id + "/resolve").then(loadAlerts, failed);
  }
  function unlock(alert) {
    api("POST", base + "/members/" + alert.member_id + "/unlock").then(function () {
      say(fmt("unlocked", { name: alert.detail }));
      return loadAlerts();
    }, failed);
  }

  var live = Yishi.live({
    namespace: "/clerk",
    join: { meeting_id: data.meeting_id },
    version: data.snapshot.version,
    snapshots: { attendance: renderQuorum },
    on: {
      alert: function (alert) {
        if (ALERT_WORDS[alert.kind]) say(alertWords(alert.kind, alert.name), true);
        loadAlerts();
      },
      "storage.alarm": function (alarm) { storageAlarm(alarm.code); },
      "storage.ok": function () { storageAlarm(null); },
    },
    texts: t,
  });
  /* What the voting view (clerk-voting.js) shares with the rest of the desk. */
  Yishi.clerk = {
    api: api, el: el, say: say, failed: failed, clerkName: clerkName, rowByMember: rowByMember, live: live,
  };
  load();
  loadAlerts();
})();
