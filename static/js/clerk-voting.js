/* The clerk desk's voting view: the vote under way and its live count; assisted votes (代填) with
 * the clerk on duty as the helper; paper cards (hand out, list, print, photograph the room from a
 * file or, on localhost/https, a webcam); the meeting's votes with their published ballot lists;
 * a receipt checker. Reads and writes through the JSON API; live from the /clerk connection that
 * clerk.js opened ("poll" and "poll.count"). Needs clerk.js and floor.js loaded first.
 */
(function () {
  "use strict";
  var desk = Yishi.clerk;
  var page = Yishi.pageData();
  var data = Yishi.pageData("voting-data");
  var words = data.words;
  var t = data.texts;
  var el = desk.el;
  var fmt = Yishi.format;
  var setText = Yishi.setText;
  var RANK = { draft: 0, open: 1, closed: 2, published: 3 };
  var CARD_ANSWERS = { A: "for", B: "against", C: "abstain" };
  var meetingBase = "/api/v1/meetings/" + page.meeting_id;
  var root = document.querySelector('[data-testid="clerk-voting"]');
  var state = { polls: {}, offset: 0, voter: null, holder: null, shownSummaryFor: null };

  function field(scope, name) { return scope.querySelector('[data-field="' + name + '"]'); }
  function testid(name) { return root.querySelector('[data-testid="' + name + '"]'); }
  function show(node, shown) { node.hidden = !shown; }
  function pollUrl(poll, rest) { return "/api/v1/polls/" + poll.id + (rest || ""); }
  function failedMessage(error) { return (error && error.message) || page.texts.failed; }

  // --- the view switch --------------------------------------------------------------------------

  var main = document.getElementById("desk-main");
  function showView(view) {
    main.dataset.view = view;
    document.querySelectorAll(".desk-views [data-view]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.view === view));
    });
    var url = window.location.pathname + window.location.search + (view === "voting" ? "#voting" : "");
    window.history.replaceState(null, "", url);  // a reload keeps the view
  }
  document.querySelector(".desk-views").addEventListener("click", function (event) {
    var button = event.target.closest("[data-view]");
    if (button) showView(button.dataset.view);
  });
  if (window.location.hash === "#voting") showView("voting");

  // --- polls as the server tells them -------------------------------------------------------------

  function ordered() {
    return Object.keys(state.polls).map(function (id) { return state.polls[id]; })
      .sort(function (a, b) { return b.id - a.id; });
  }
  function openPoll() {
    return ordered().filter(function (poll) { return poll.status === "open"; })[0] || null;
  }
  function optionLabel(poll, option) {
    return poll.kind === "yes_no" ? words.options[option] || option : option;
  }

  /** Keep a poll snapshot unless an older one arrives late. */
  function receive(view) {
    var before = state.polls[view.id];
    if (before && RANK[before.status] > RANK[view.status]) return;
    if (before && before.status === view.status) view.cast = Math.max(before.cast, view.cast);
    state.polls[view.id] = view;
    state.offset = Yishi.parseTime(view.server_now) - Date.now();
  }

  function load() {
    desk.api("GET", meetingBase + "/polls").then(function (answer) {
      answer.polls.forEach(receive);
      render();
    }, desk.failed);
  }

  function verdict(poll) {
    var result = poll.result;
    if (!result) return "";
    if (result.passed === true) return words.passed;
    if (result.passed === false) return words.not_passed;
    var names = function (options) { return options.map(function (o) { return optionLabel(poll, o); }).join(" / "); };
    // A tie for the last places is said as one: the hall decides (the explanation says how).
    if (result.tie) return fmt(words.tie, { options: names(result.tie.options) });
    var chosen = result.chosen || result.leaders || [];
    if (!chosen.length) return words.no_votes;
    return fmt(words.leading, { options: names(chosen) });
  }

  function render() {
    var poll = openPoll();
    renderNow(poll);
    renderChoices(poll);
    renderPhotos(poll);
    renderPolls();
    var badge = document.querySelector('.desk-views [data-field="poll-live"]');
    setText(badge, poll ? poll.cast + " / " + poll.eligible : "");
    show(badge, Boolean(poll));
  }

  function renderNow(poll) {
    var box = testid("clerk-poll");
    box.dataset.status = poll ? poll.status : "none";
    show(field(box, "none"), !poll);
    ["heading", "question"].forEach(function (name) { show(field(box, name), Boolean(poll)); });
    var counter = testid("clerk-poll-count");
    show(counter, Boolean(poll));
    show(testid("clerk-poll-countdown"), Boolean(poll));
    if (!poll) return;
    box.dataset.pollId = String(poll.id);
    var badge = field(box, "status");
    badge.dataset.status = poll.status;
    setText(badge, words.statuses[poll.status]);
    setText(field(box, "meta"), [
      poll.secret ? words.secret : words.named,
      poll.kind === "yes_no" ? words.rules[poll.rule] : fmt(words.max_choices, { num: poll.max_choices }),
    ].join(" · "));
    setText(field(box, "question"), poll.question);
    counter.dataset.cast = String(poll.cast);
    setText(counter, fmt(words.count, { cast: poll.cast, eligible: poll.eligible }));
    tick();
  }

  function tick() {
    var poll = openPoll();
    var node = testid("clerk-poll-countdown");
    if (!poll) return;
    if (!poll.closes_at) {
      setText(node, words.no_time_limit);
      return;
    }
    var ms = Yishi.parseTime(poll.closes_at) - (Date.now() + state.offset);
    setText(node, ms > 0 ? fmt(words.time_left, { time: Yishi.formatClock(ms) }) : words.time_up);
  }

  // --- finding a member (assisted votes and cards) ------------------------------------------------

  function chosenLine(node, member) {
    node.textContent = member ? member.name + " " + member.address : page.texts.nobody_chosen;
    node.dataset.empty = String(!member);
  }

  /** A search box with "Find" in `form`; `choose(member)` when one is picked. */
  function memberPicker(form, choose, signedInOnly) {
    var input = form.elements.q;
    var results = field(form, "results");
    function row(member) {
      var attendance = desk.rowByMember(member.id);
      var here = attendance && !attendance.signed_out_at;
      var action = here || !signedInOnly
        ? el("button", {
          type: "button", className: "small", text: t.choose, "aria-label": fmt(t.choose_for, { name: member.name }),
          onclick: function () { results.replaceChildren(); choose(member); },
        })
        : el("span", { className: "notes", text: t.not_signed_in });
      return el("li", { "data-member-id": String(member.id) }, [
        el("span", { className: "who" }, [el("b", { text: member.name }), el("span", { className: "notes", text: member.address })]),
        action,
      ]);
    }
    function search() {
      var q = input.value.trim();
      if (!q) return;
      results.replaceChildren(el("li", { className: "empty", text: page.texts.searching }));
      desk.api("GET", page.urls.members + "?limit=8&q=" + encodeURIComponent(q)).then(function (found) {
        results.replaceChildren.apply(results, found.members.length ? found.members.map(row)
          : [el("li", { className: "empty", text: fmt(page.texts.no_results, { q: q }) })]);
      }, function (error) { results.replaceChildren(); desk.failed(error); });
    }
    form.querySelector('[data-action="find"]').addEventListener("click", search);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        search();
      }
    });
  }

  // --- assisted votes (代填) ----------------------------------------------------------------------

  var assisted = document.getElementById("assisted-form");
  var clerkInput = document.getElementById("clerk-name");

  function renderChoices(poll) {
    var box = field(assisted, "choices");
    var key = poll ? String(poll.id) : "";
    if (box.dataset.poll === key) return;  // keep what the clerk ticked
    box.dataset.poll = key;
    var multiple = poll && poll.max_choices > 1;
    var inputs = poll ? poll.options.map(function (option) {
      return el("label", { className: "check" }, [
        el("input", { type: multiple ? "checkbox" : "radio", name: "choice", value: option }),
        optionLabel(poll, option),
      ]);
    }) : [];
    if (multiple) inputs.push(el("p", { className: "hint", text: fmt(words.max_choices, { num: poll.max_choices }) }));
    box.replaceChildren.apply(box, [box.querySelector("legend")].concat(inputs));
  }

  /** What became of an assisted vote: "recorded" with its receipt, or "refused" in words. */
  function assistedResult(outcome, lines, receipt) {
    var box = testid("assisted-result");
    box.dataset.state = outcome;
    var nodes = lines.filter(Boolean).map(function (line) { return el("p", { text: line }); });
    if (receipt) {
      nodes.push(el("p", {}, [
        t.receipt_code + " ", el("code", { className: "receipt", "data-testid": "assisted-receipt", text: receipt }),
      ]));
    }
    box.replaceChildren.apply(box, nodes);
    box.setAttribute("role", outcome === "refused" ? "alert" : "status");
    show(box, true);
  }

  function chooseVoter(member) {
    state.voter = member;
    chosenLine(field(assisted, "chosen"), member);
  }
  memberPicker(assisted, function (member) {
    chooseVoter(member);
    var first = assisted.querySelector('input[name="choice"]');
    if (first) first.focus();
  }, true);

  function showHelper() { setText(field(assisted, "helper"), clerkInput.value.trim()); }
  clerkInput.addEventListener("input", showHelper);
  showHelper();

  assisted.addEventListener("submit", function (event) {
    event.preventDefault();
    var poll = openPoll();
    if (!poll) return assistedResult("refused", [t.need_open_poll]);
    if (!state.voter) {
      assisted.elements.q.focus();
      return assistedResult("refused", [t.need_voter]);
    }
    var choices = Array.prototype.map.call(assisted.querySelectorAll('input[name="choice"]:checked'), function (box) {
      return box.value;
    });
    if (!choices.length) return assistedResult("refused", [t.need_choice]);
    var helper = desk.clerkName();
    if (!helper) return;
    var voter = state.voter;
    var submit = assisted.querySelector('[type="submit"]');
    submit.disabled = true;
    desk.api("POST", pollUrl(poll, "/assisted"), { member_id: voter.id, choices: choices, helper: helper }).then(
      function (answer) {
        submit.disabled = false;
        assistedResult("recorded", [
          fmt(t.assisted_done, { name: voter.name }), answer.replaced ? t.assisted_replaced : "",
        ], answer.receipt);
        chooseVoter(null);
        assisted.elements.q.value = "";
        assisted.querySelectorAll('input[name="choice"]').forEach(function (box) { box.checked = false; });
      },
      function (error) {
        submit.disabled = false;
        assistedResult("refused", [failedMessage(error)]);
      }
    );
  });

  // --- paper cards: handing out, the list, printing ------------------------------------------------

  var cardForm = document.getElementById("card-form");

  function loadCards() {
    desk.api("GET", meetingBase + "/cards").then(function (answer) {
      var cards = (answer.cards || []).slice().sort(function (a, b) { return a.number - b.number; });
      var list = testid("card-list");
      list.replaceChildren.apply(list, cards.length ? cards.map(function (card) {
        return el("li", { "data-card": String(card.number) }, [
          el("b", { className: "card-no", text: String(card.number) }),
          " " + (card.name || "") + (card.address ? " " + card.address : ""),
        ]);
      }) : [el("li", { className: "empty", text: t.no_cards })]);
      setText(field(root, "card-count"), fmt(t.cards_count, { num: cards.length }));
    }, desk.failed);
  }

  memberPicker(cardForm, function (member) {
    state.holder = member;
    chosenLine(field(cardForm, "chosen"), member);
    cardForm.querySelector('[type="submit"]').focus();
  }, false);

  cardForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var number = Number(cardForm.elements.number.value);
    var holder = state.holder;
    if (!number || !holder) {
      desk.say(t.need_card, true);
      return;
    }
    desk.api("POST", meetingBase + "/cards", { number: number, member_id: holder.id }).then(function () {
      desk.say(fmt(t.card_handed, { number: number, name: holder.name }));
      state.holder = null;
      chosenLine(field(cardForm, "chosen"), null);
      cardForm.elements.number.value = "";
      cardForm.elements.q.value = "";
      cardForm.elements.number.focus();
      loadCards();
    }, desk.failed);
  });

  var print = field(root, "print");
  print.addEventListener("input", function () {
    var link = print.querySelector("a");
    var first = Math.max(1, Number(print.querySelector('[name="first"]').value) || 1);
    var last = Math.max(first, Number(print.querySelector('[name="last"]').value) || first);
    link.href = link.dataset.base + "?first=" + first + "&last=" + last;
  });

  // --- paper cards: photographs of the room --------------------------------------------------------

  var photoInput = testid("card-photo-input");

  function cardMeaning(poll, letter) {
    var option = poll.kind === "yes_no" ? CARD_ANSWERS[letter] : poll.options["ABCD".indexOf(letter)];
    return option ? optionLabel(poll, option) : "?";
  }

  function renderPhotos(poll) {
    photoInput.disabled = !poll;
    field(root, "photo-label").setAttribute("aria-disabled", String(!poll));
    var legend = poll ? fmt(t.legend, {
      answers: (poll.kind === "yes_no" ? ["A", "B", "C"] : ["A", "B", "C", "D"].slice(0, poll.options.length))
        .map(function (letter) { return letter + " " + cardMeaning(poll, letter); }).join(" · "),
    }) : t.photos_need_open_poll;
    setText(field(root, "legend"), legend);
    if (poll && state.shownSummaryFor !== poll.id) loadSummary(poll);
  }

  function progress(text, isError) {
    var node = testid("photo-progress");
    setText(node, text);
    node.classList.toggle("is-error", Boolean(isError));
  }

  function problemText(problem) {
    if (problem.message) return problem.message;
    var values = {
      number: problem.number !== undefined ? problem.number : problem.card,
      name: problem.name || "",
      channel: words.channels[problem.channel] || problem.channel || "",
    };
    var code = problem.problem || problem.code;
    var key = { unassigned: "problem_unassigned", no_such_answer: "problem_no_such_answer", already_voted: "problem_already_voted",
      later_ballot_counts: "problem_later_ballot" }[code];
    return fmt(t[key || "problem_other"], values);
  }

  function renderSummary(poll, summary) {
    state.shownSummaryFor = poll.id;
    var box = testid("card-summary");
    var seen = summary.seen || [];
    var missing = summary.missing || [];
    var problems = summary.problems || [];
    show(box, true);
    setText(field(box, "seen-title"), fmt(t.seen, { num: seen.length }));
    var wontCount = problems.map(function (problem) { return problem.number !== undefined ? problem.number : problem.card; });
    var body = testid("cards-seen").querySelector("tbody");
    body.replaceChildren.apply(body, seen.map(function (card) {
      return el("tr", {
        "data-card": String(card.number), "data-answer": card.answer,
        "data-counts": String(wontCount.indexOf(card.number) < 0),
      }, [
        el("th", { scope: "row", text: String(card.number) }),
        el("td", { text: card.name || "" }),
        el("td", {}, [
          el("b", { className: "card-letter", text: card.answer }),
          " " + (card.choice ? optionLabel(poll, card.choice) : cardMeaning(poll, card.answer)),
        ]),
      ]);
    }));
    setText(field(box, "missing-title"), fmt(t.missing, { num: missing.length }));
    var absent = testid("cards-missing");
    absent.replaceChildren.apply(absent, missing.length ? missing.map(function (card) {
      return el("li", { "data-card": String(card.number) }, [el("b", { className: "card-no", text: String(card.number) }), " " + (card.name || "")]);
    }) : [el("li", { className: "empty", text: t.nobody_missing })]);
    show(field(box, "problems-title"), problems.length > 0);
    var trouble = testid("cards-problems");
    trouble.replaceChildren.apply(trouble, problems.map(function (problem) { return el("li", { text: problemText(problem) }); }));
  }

  function loadSummary(poll) {
    state.shownSummaryFor = poll.id;
    desk.api("GET", pollUrl(poll, "/cards")).then(function (summary) {
      if (summary.photos) renderSummary(poll, summary);
    }, desk.failed);
  }

  /** Send one photo (multipart, field "photo"); resolves the summary of the cards seen so far. */
  function upload(poll, file) {
    var body = new FormData();
    body.append("photo", file, file.name || "photo.jpg");
    return window.fetch(pollUrl(poll, "/photos"), { method: "POST", body: body, headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (answer) {
          if (!response.ok) throw (answer && answer.error) || { code: String(response.status), message: page.texts.failed };
          return answer;
        });
      }, function () { throw { code: "network", message: page.texts.failed }; });
  }

  /** Photos in the order taken, one after the other (the latest photo wins for each card). */
  function sendPhotos(files) {
    var poll = openPoll();
    if (!poll || !files.length) {
      if (!poll) progress(t.photos_need_open_poll, true);
      return;
    }
    var read = 0;
    var failures = [];
    files.reduce(function (previous, file, index) {
      return previous.then(function () {
        progress(fmt(t.uploading, { num: index + 1, total: files.length }));
        return upload(poll, file).then(
          function (summary) { read += 1; renderSummary(poll, summary); },
          function (error) {
            failures.push(fmt(t.photo_failed, { num: index + 1, message: failedMessage(error) }));
          }
        );
      });
    }, Promise.resolve()).then(function () {
      progress([fmt(t.uploaded, { num: read })].concat(failures).join(" "), failures.length > 0);
    });
  }

  photoInput.addEventListener("change", function () {
    var files = Array.prototype.slice.call(photoInput.files);
    photoInput.value = "";  // the same file can be chosen again
    sendPhotos(files);
  });

  // A webcam works only on https or localhost; a phone on the hall's Wi-Fi uses the file input.
  var camera = { stream: null };
  var cameraBox = field(root, "webcam");
  var video = field(root, "video");
  var canUseCamera = window.isSecureContext && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  show(testid("webcam-start"), Boolean(canUseCamera));

  function stopCamera() {
    if (camera.stream) camera.stream.getTracks().forEach(function (track) { track.stop(); });
    camera.stream = null;
    video.srcObject = null;
    show(cameraBox, false);
  }
  root.addEventListener("click", function (event) {
    var target = event.target.closest("[data-action]");
    if (!target) return;
    if (target.dataset.action === "camera") {
      navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 1920 }, height: { ideal: 1080 } }, audio: false,
      }).then(function (stream) {
        camera.stream = stream;
        video.srcObject = stream;
        video.play();
        show(cameraBox, true);
      }, function (error) { desk.say(fmt(t.camera_failed, { message: error.message || error.name }), true); });
    } else if (target.dataset.action === "camera-off") {
      stopCamera();
    } else if (target.dataset.action === "snap" && camera.stream) {
      var canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      canvas.toBlob(function (blob) {
        if (blob) sendPhotos([new File([blob], "webcam-" + Date.now() + ".jpg", { type: "image/jpeg" })]);
      }, "image/jpeg", 0.92);
    }
  });

  // --- the meeting's votes, their ballot lists, receipts --------------------------------------------

  var polls = testid("clerk-poll-list").querySelector("tbody");
  var receiptForm = document.getElementById("receipt-form");

  function renderPolls() {
    var all = ordered();
    polls.replaceChildren.apply(polls, all.length ? all.map(function (poll) {
      var closed = poll.status === "closed" || poll.status === "published";
      var explanation = poll.explanation && poll.explanation[page.lang === "en" ? "en" : "zh_CN"];
      return el("tr", { "data-poll-id": String(poll.id), "data-status": poll.status }, [
        el("th", { scope: "row", text: poll.question }),
        el("td", {}, [el("span", { className: "status-badge", "data-status": poll.status, text: words.statuses[poll.status] })]),
        el("td", { text: poll.status === "draft" ? "" : fmt(words.count, { cast: poll.cast, eligible: poll.eligible }) }),
        el("td", {}, [el("b", { text: verdict(poll) }), explanation ? el("span", { className: "sub", text: explanation }) : null]),
        el("td", { className: "actions" }, closed ? [el("button", {
          type: "button", className: "secondary small", text: t.ballot_list,
          "aria-label": fmt(t.ballot_list_of, { question: poll.question }),
          onclick: function () { showBallotList(poll); },
        })] : []),
      ]);
    }) : [el("tr", {}, [el("td", { colspan: "5", className: "empty", text: t.no_polls })])]);

    var select = receiptForm.elements.poll;
    var before = select.value;
    var counted = all.filter(function (poll) { return poll.status === "closed" || poll.status === "published"; });
    select.replaceChildren.apply(select, counted.length ? counted.map(function (poll) {
      return el("option", { value: String(poll.id), text: poll.question });
    }) : [el("option", { value: "", text: t.no_closed_polls })]);
    if (counted.some(function (poll) { return String(poll.id) === before; })) select.value = before;
  }

  function showBallotList(poll) {
    desk.api("GET", pollUrl(poll, "/ballot-list")).then(function (list) {
      var box = testid("ballot-list");
      box.dataset.pollId = String(poll.id);
      setText(field(box, "title"), fmt(t.ballot_list_of, { question: poll.question }));
      setText(field(box, "final-hash"), list.final_hash || "");
      var body = box.querySelector("tbody");
      body.replaceChildren.apply(body, list.entries.length ? list.entries.map(function (entry) {
        return el("tr", {}, [
          el("td", { text: String(entry.position) }),
          el("td", { text: entry.text }),
          el("td", {}, [el("code", { text: entry.hash })]),
        ]);
      }) : [el("tr", {}, [el("td", { colspan: "3", className: "empty", text: t.ballot_list_empty })])]);
      show(box, true);
      box.scrollIntoView({ block: "nearest" });
    }, desk.failed);
  }

  receiptForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var answer = testid("receipt-result");
    var code = receiptForm.elements.code.value.trim().toUpperCase();
    var pollId = receiptForm.elements.poll.value;
    function tell(text, found) {
      answer.textContent = text;
      answer.dataset.found = String(found);
      show(answer, true);
    }
    if (!pollId) return;
    if (!/^[0-9A-Z]{8}$/.test(code)) {
      tell(t.need_receipt, false);
      receiptForm.elements.code.focus();
      return;
    }
    desk.api("GET", "/api/v1/polls/" + pollId + "/receipts/" + encodeURIComponent(code)).then(function (check) {
      tell(check.found ? fmt(t.receipt_found, check.entry) : t.receipt_not_found, check.found);
    }, function (error) { tell(failedMessage(error), false); });
  });

  // --- live -----------------------------------------------------------------------------------------

  var socket = desk.live.socket;
  socket.on("poll", function (view) { receive(view); render(); });
  socket.on("poll.count", function (count) {
    var poll = state.polls[count.poll_id];
    if (!poll || poll.status !== "open") return;
    poll.cast = Math.max(poll.cast, count.cast);  // coalesced counts never go down
    poll.eligible = count.eligible;
    render();
  });
  socket.on("connect", load);  // each (re)connect catches up with what was missed
  load();
  loadCards();
  Yishi.everyTick(tick);
})();
