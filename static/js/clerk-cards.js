// The clerk desk's paper cards (Plickers-style): which card is handed to whom, the list of cards
// handed out, and the link that prints a range of card sheets.

import { failed, say } from "./clerk-desk.js";
import { chosenLine, memberPicker } from "./clerk-picker.js";
import { el, field, setText } from "./dom.js";
import { request } from "./http.js";
import { format } from "./page.js";

/** Hand out cards with the card form; `page` is the desk's page data, `voting` the view's. */
export function paperCards({ page, voting }) {
  var t = voting.texts;
  var root = document.querySelector('[data-testid="clerk-voting"]');
  var form = document.getElementById("card-form");
  var cardsUrl = "/api/v1/meetings/" + page.meeting_id + "/cards";
  var holder = null;

  function load() {
    request(cardsUrl).then(function (answer) {
      var cards = (answer.cards || []).slice().sort(function (a, b) { return a.number - b.number; });
      var list = root.querySelector('[data-testid="card-list"]');
      list.replaceChildren.apply(list, cards.length ? cards.map(function (card) {
        return el("li", { "data-card": String(card.number) }, [
          el("b", { className: "card-no", text: String(card.number) }),
          " " + (card.name || "") + (card.address ? " " + card.address : ""),
        ]);
      }) : [el("li", { className: "empty", text: t.no_cards })]);
      setText(field(root, "card-count"), format(t.cards_count, { num: cards.length }));
    }, failed);
  }

  memberPicker(form, {
    page: page,
    texts: t,
    signedInOnly: false,
    choose: function (member) {
      holder = member;
      chosenLine(field(form, "chosen"), member, page.texts);
      form.querySelector('[type="submit"]').focus();
    },
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var number = Number(form.elements.number.value);
    var member = holder;
    if (!number || !member) {
      say(t.need_card, true);
      return;
    }
    request(cardsUrl, { method: "POST", body: { number: number, member_id: member.id } }).then(function () {
      say(format(t.card_handed, { number: number, name: member.name }));
      holder = null;
      chosenLine(field(form, "chosen"), null, page.texts);
      form.elements.number.value = "";
      form.elements.q.value = "";
      form.elements.number.focus();
      load();
    }, failed);
  });

  var print = field(root, "print");
  print.addEventListener("input", function () {
    var link = print.querySelector("a");
    var first = Math.max(1, Number(print.querySelector('[name="first"]').value) || 1);
    var last = Math.max(first, Number(print.querySelector('[name="last"]').value) || first);
    link.href = link.dataset.base + "?first=" + first + "&last=" + last;
  });

  load();
}
