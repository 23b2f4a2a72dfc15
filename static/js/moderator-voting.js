/* The moderator console's voting view: draft a poll, open, close (after a confirmation) and
 * publish it over /moderator; the live count from the throttled poll.count; the poll's countdown
 * from its deadline; after closing, the result with its explanation and the ballot list's final
 * hash. Polls come from the JSON API on every (re)connect and from "poll" broadcasts after.
 * Needs moderator.js loaded first (Yishi.moderator).
 */
(function () {
  "use strict";
  var data = Yishi.pageData();
  var words = data.poll_words;
  var texts = data.voting;
  var el = Yishi.el;
  var setText = Yishi.setText;
  var fmt = Yishi.format;
  var staff = Yishi.moderator;
  var RANK = { draft: 0, open: 1, closed: 2, published: 3 };
  var COMMANDS = {
    open: ["poll.open", "opened"],
    "confirm-close": ["poll.close", "closed"],
    publish: ["poll.publish", "published"],
  };
  var explanationLanguage = data.lang === "en" ? "en" : "zh_CN";
  var main = document.getElementById("moderator");
  var current = document.querySelector('[data-testid="poll-current"]');
  var list = document.querySelector('[data-testid="poll-list"]');
  var form = document.getElementById("poll-form");
  var countdown = current.querySelector('[data-testid="poll-countdown"]');
  var state = { polls: {}, selected: null, offset: 0, confirming: false, busy: false, itemChosen: false };

  function field(root, name) { return root.querySelector('[data-field="' + name + '"]'); }
  function show(node, shown) { node.hidden = !shown; }

  // --- the view switch --------------------------------------------------------------------------

  function showView(view) {
    main.dataset.view = view;
    document.querySelectorAll(".view-switch [data-view]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.view === view));
    });
    var url = window.location.pathname + window.location.search + (view === "voting" ? "#voting" : "");
    window.history.replaceState(null, "", url);  // a reload keeps the view
  }
  document.querySelector(".view-switch").addEventListener("click", function (event) {
    var button = event.target.closest("[data-view]");
    if (button) showView(button.dataset.view);
  });
  if (window.location.hash === "#voting") showView("voting");

  // --- the polls as the server tells them ---------------------------------------------------------

  function ordered() {
    return Object.keys(state.polls).map(function (id) { return state.polls[id]; })
      .sort(function (a, b) { return b.id - a.id; });
  }

  /** Keep a poll snapshot unless an older one arrives late; an opened poll comes into view. */
  function receive(view, select) {
    var before = state.polls[view.id];
    if (before && RANK[before.status] > RANK[view.status]) return;
    if (before && before.status === view.status) view.cast = Math.max(before.cast, view.cast);
    state.polls[view.id] = view;
    state.offset = Yishi.parseTime(view.server_now) - Date.now();
    var opened = view.status === "open" && (!before || before.status !== "open");
    if (select || opened || state.selected === null) state.selected = view.id;
    if (view.status !== "open" && view.id === state.selected) state.confirming = false;
    render();
  }

  function count(payload) {
    var poll = state.polls[payload.poll_id];
    if (!poll || poll.status !== "open") return;
    poll.cast = Math.max(poll.cast, payload.cast);  // coalesced counts never go down
    poll.eligible = payload.eligible;
    poll.present = payload.present;
    render();
  }

  function load() {
    Yishi.api("GET", "/api/v1/meetings/" + data.meeting_id + "/polls", undefined, data.texts.failed)
      .then(function (answer) {
        answer.polls.forEach(function (view) { receive(view, false); });
        var polls = ordered();
        var chosen = state.polls[state.selected];
        if (!chosen || chosen.status !== "open") {
          var open = polls.filter(function (p) { return p.status === "open"; })[0];
          var draft = polls.filter(function (p) { return p.status === "draft"; })[0];
          var pick = open || draft || polls[0];
          state.selected = pick ? pick.id : null;
        }
        render();
      }, function (error) { staff.say(error.message || data.texts.failed, "error"); });
  }

  // --- rendering ----------------------------------------------------------------------------------

  function optionLabel(poll, option) {
    return poll.kind === "yes_no" ? words.options[option] || option : option;
  }

  function itemTitle(itemId) {
    var item = staff.floor().agenda.filter(function (i) { return i.id === itemId; })[0];
    return item ? fmt(words.item, { title: item.title }) : words.no_item;
  }

  function meta(poll) {
    var parts = [poll.secret ? words.secret : words.named];
    parts.push(poll.kind === "yes_no" ? words.rules[poll.rule] : fmt(words.max_choices, { num: poll.max_choices }));
    if (poll.kind === "choice" || poll.rule.indexOf("art278") !== 0) parts.push(words.weightings[poll.weighting]);
    parts.push(words.eligibility[poll.eligibility]);
    return parts.join(" · ");
  }

  function verdict(poll) {
    var result = poll.result;
    if (result.passed === true) return words.passed;
    if (result.passed === false) return words.not_passed;
    var names = function (options) { return options.map(function (o) { return optionLabel(poll, o); }).join(" / "); };
    // A tie for the last places is said as one: the hall decides (the explanation says how).
    if (result.tie) return fmt(words.tie, { options: names(result.tie.options) });
    var chosen = result.chosen || result.leaders || [];
    if (!chosen.length) return words.no_votes;
    return fmt(words.leading, { options: names(chosen) });
  }

  function renderResult(poll) {
    var box = current.querySelector('[data-testid="poll-result"]');
    var result = poll.result;
    show(box, Boolean(result));
    if (!result) return;
    box.dataset.passed = String(result.passed);
    setText(box.querySelector('[data-testid="poll-verdict"]'), verdict(poll));
    var explanation = (poll.explanation && poll.explanation[explanationLanguage]) || "";
    var explained = box.querySelector('[data-testid="poll-explanation"]');
    setText(explained, explanation);
    show(explained, Boolean(explanation));
    var art278 = poll.kind === "yes_no" && poll.rule.indexOf("art278") === 0;
    var byArea = poll.weighting === "area" || art278;
    var byWeight = poll.weighting === "custom" && !art278;
    box.querySelectorAll("[data-column]").forEach(function (head) {
      show(head, head.dataset.column === "area" ? byArea : byWeight);
    });
    var body = box.querySelector("tbody");
    body.replaceChildren.apply(body, poll.options.map(function (option) {
      var tally = result.tallies[option] || { headcount: 0, area: "0.00", weight: "0", percent_headcount: "0.0" };
      var cells = [
        el("th", { scope: "row" }, [optionLabel(poll, option)]),
        el("td", { className: "num" }, [String(tally.headcount)]),
        el("td", { className: "num" }, [tally.percent_headcount + "%"]),
      ];
      if (byArea) cells.push(el("td", { className: "num" }, [tally.area]));
      if (byWeight) cells.push(el("td", { className: "num" }, [tally.weight]));
      return el("tr", { dataset: { option: option } }, cells);
    }));
    var problems = field(box, "card-problems");
    var failed = (result.card_problems || []).length;
    setText(problems, failed ? fmt(texts.card_problems, { num: failed }) : "");
    show(problems, failed > 0);
    setText(box.querySelector('[data-testid="poll-hash"]'), poll.final_hash || "");
  }

  function renderCurrent(poll) {
    show(field(document, "poll-none"), !poll);
    show(current, Boolean(poll));
    if (!poll) return;
    current.dataset.status = poll.status;
    current.dataset.pollId = String(poll.id);
    var badge = field(current, "status");
    badge.dataset.status = poll.status;
    setText(badge, words.statuses[poll.status]);
    setText(field(current, "meta"), meta(poll));
    setText(current.querySelector('[data-testid="poll-question"]'), poll.question);
    setText(field(current, "item"), itemTitle(poll.item_id));
    var open = poll.status === "open";
    show(field(current, "live"), open);
    var counter = current.querySelector('[data-testid="poll-count"]');
    counter.dataset.cast = String(poll.cast);
    setText(counter, fmt(words.count, { cast: poll.cast, eligible: poll.eligible }));
    setText(field(current, "present"), fmt(words.present, { present: poll.present }));
    current.querySelectorAll("[data-poll-command]").forEach(function (button) {
      button.disabled = state.busy;
    });
    var button = function (name) { return current.querySelector('[data-poll-command="' + name + '"]'); };
    show(button("open"), poll.status === "draft");
    show(button("close"), open && !state.confirming);
    show(button("publish"), poll.status === "closed");
    show(current.querySelector('[data-testid="poll-confirm"]'), open && state.confirming);
    renderResult(poll);
    tick();
  }

  function pollRow(poll) {
    var figure = poll.status === "open" ? fmt(words.count, { cast: poll.cast, eligible: poll.eligible })
      : poll.result ? verdict(poll) : "";
    var chosen = poll.id === state.selected;
    return el("li", {
      className: "poll-row", dataset: { pollId: poll.id, status: poll.status },
      attrs: chosen ? { "aria-current": "true" } : {},
    }, [
      el("span", { className: "status-badge", dataset: { status: poll.status } }, [words.statuses[poll.status]]),
      el("span", { className: "poll-row-question" }, [poll.question]),
      el("span", { className: "poll-row-figure" }, [figure]),
      chosen ? null : el("button", {
        type: "button", className: "secondary", dataset: { action: "show" },
        attrs: { "aria-label": fmt(texts.show_poll, { question: poll.question }) },
      }, [texts.show]),
    ]);
  }

  function render() {
    var polls = ordered();
    renderCurrent(state.polls[state.selected] || null);
    list.replaceChildren.apply(list, polls.map(pollRow));
    var open = polls.filter(function (p) { return p.status === "open"; })[0];
    var badge = field(document, "poll-live");
    setText(badge, open ? open.cast + " / " + open.eligible : "");
    show(badge, Boolean(open));
  }

  function tick() {
    var poll = state.polls[state.selected];
    if (!poll || poll.status !== "open") return;
    if (!poll.closes_at) {
      setText(countdown, words.no_time_limit);
      countdown.dataset.state = "none";
      return;
    }
    var ms = Yishi.parseTime(poll.closes_at) - (Date.now() + state.offset);
    setText(countdown, ms > 0 ? fmt(words.time_left, { time: Yishi.formatClock(ms) }) : words.time_up);
    countdown.dataset.state = ms <= 0 ? "over" : ms <= 30000 ? "warning" : "running";
  }

  // --- open, close, publish -----------------------------------------------------------------------

  current.addEventListener("click", function (event) {
    var target = event.target.closest("[data-poll-command]");
    var poll = state.polls[state.selected];
    if (!target || !poll) return;
    var command = target.dataset.pollCommand;
    if (command === "close" || command === "cancel-close") {
      state.confirming = command === "close";
      render();
      // The safe answer takes the focus: Enter pressed by habit keeps the vote open.
      current.querySelector(state.confirming ? '[data-poll-command="cancel-close"]' : '[data-poll-command="close"]').focus();
      return;
    }
    state.busy = true;
    render();
    staff.send(COMMANDS[command][0], { poll_id: poll.id }).then(
      function (answer) {
        state.busy = false;
        state.confirming = false;
        receive(answer.poll, true);
        staff.say(texts[COMMANDS[command][1]]);
      },
      function () {  // the console has said why
        state.busy = false;
        state.confirming = false;
        render();
      }
    );
  });

  list.addEventListener("click", function (event) {
    var target = event.target.closest('button[data-action="show"]');
    if (!target) return;
    state.selected = Number(target.closest("[data-poll-id]").dataset.pollId);
    state.confirming = false;
    render();
    current.querySelector('[data-testid="poll-question"]').scrollIntoView({ block: "nearest" });
  });

  // --- the draft form -----------------------------------------------------------------------------

  var elements = form.elements;
  function checked(name) { return form.querySelector('input[name="' + name + '"]:checked').value; }

  function syncForm() {
    var choice = checked("kind") === "choice";
    var rule = elements.rule.value;
    var art278 = !choice && rule.indexOf("art278") === 0;
    show(field(form, "options"), choice);
    show(field(form, "rule-row"), !choice);
    show(field(form, "choice-note"), choice);
    // Civil Code art. 278: the owners decide, always (the server refuses any other base).
    if (art278) elements.eligibility.value = "owners";
    elements.eligibility.disabled = art278;
    show(field(form, "groups"), elements.eligibility.value === "groups");
    elements.weighting.disabled = art278;
    setText(form.querySelector('[data-testid="rule-description"]'),
      words.rule_notes[rule] + (art278 ? " " + texts.art278_weighting : ""));
  }
  form.addEventListener("change", function (event) {
    if (event.target === elements.item_id) state.itemChosen = true;
    syncForm();
  });

  /** The agenda items to attach a poll to; the item under discussion unless another was chosen. */
  function fillItems(floor) {
    var select = elements.item_id;
    var before = select.value;
    var choices = [el("option", { value: "" }, [texts.no_item_option])].concat(floor.agenda.map(function (item) {
      return el("option", { value: String(item.id) }, [item.position + ". " + item.title]);
    }));
    select.replaceChildren.apply(select, choices);
    var stillThere = floor.agenda.some(function (item) { return String(item.id) === before; });
    select.value = state.itemChosen && (stillThere || before === "") ? before
      : floor.active_item_id !== null ? String(floor.active_item_id) : "";
    if (state.polls[state.selected]) setText(field(current, "item"), itemTitle(state.polls[state.selected].item_id));
  }

  /** The poll.create payload from the form, or the words of what is missing. */
  function draft() {
    var question = elements.question.value.trim();
    if (!question) return { problem: texts.need_question, field: elements.question };
    var body = {
      question: question,
      kind: checked("kind"),
      secret: checked("secret") === "true",
      eligibility: elements.eligibility.value,
      weighting: elements.weighting.disabled ? "headcount" : elements.weighting.value,
      rule: elements.rule.value,
      item_id: elements.item_id.value ? Number(elements.item_id.value) : null,
    };
    if (body.kind === "choice") {
      var options = [];
      elements.options.value.split("\n").forEach(function (line) {
        var option = line.trim();
        if (option && options.indexOf(option) < 0) options.push(option);
      });
      if (options.length < 2) return { problem: texts.need_options, field: elements.options };
      var most = Number(elements.max_choices.value) || 1;
      if (most < 1 || most > options.length) return { problem: texts.too_many_choices, field: elements.max_choices };
      body.options = options;
      body.max_choices = most;
    }
    if (body.eligibility === "groups") {
      body.groups = Array.prototype.map.call(form.querySelectorAll('input[name="groups"]:checked'), function (box) {
        return box.value;
      });
      if (!body.groups.length) return { problem: texts.need_groups, field: form.querySelector('input[name="groups"]') };
    }
    var minutes = Number(elements.minutes.value);
    if (minutes > 0) body.duration_s = Math.round(minutes * 60);
    return { body: body };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var made = draft();
    if (made.problem) {
      staff.say(made.problem, "error");
      made.field.focus();
      return;
    }
    var submit = form.querySelector('[type="submit"]');
    submit.disabled = true;
    staff.send("poll.create", made.body).then(
      function (answer) {
        submit.disabled = false;
        elements.question.value = "";
        elements.options.value = "";
        elements.minutes.value = "";
        state.itemChosen = false;
        fillItems(staff.floor());
        receive(answer.poll, true);
        staff.say(texts.created);
        current.querySelector('[data-poll-command="open"]').focus();
      },
      function () { submit.disabled = false; }
    );
  });

  // --- live -----------------------------------------------------------------------------------------

  var socket = staff.live.socket;
  socket.on("poll", function (view) { receive(view, false); });
  socket.on("poll.count", count);
  socket.on("connect", load);  // each (re)connect catches up with what was missed
  staff.watchFloor(fillItems);
  syncForm();
  load();
  Yishi.everyTick(tick);
})();
