// Choosing a member on the clerk desk's voting view (for an assisted vote, for a paper card): a
// search box with "Find", a short list, a "Choose" button each, and a line saying who is chosen.

import { rowByMember } from "./clerk-attendance.js";
import { failed } from "./clerk-desk.js";
import { el, field } from "./dom.js";
import { request } from "./http.js";
import { format } from "./page.js";

/** Say in `node` who is chosen (or that nobody is yet). */
export function chosenLine(node, member, texts) {
  node.textContent = member ? member.name + " " + member.address : texts.nobody_chosen;
  node.dataset.empty = String(!member);
}

/**
 * The search box of `form` (its field "q", a [data-action="find"] button, a [data-field="results"]
 * list): `choose(member)` when one is chosen; with `signedInOnly`, only those here may be.
 * `page` is the desk's page data, `texts` the voting view's words.
 */
export function memberPicker(form, { page, texts, signedInOnly, choose }) {
  var input = form.elements.q;
  var results = field(form, "results");
  function row(member) {
    var attendance = rowByMember(member.id);
    var here = attendance && !attendance.signed_out_at;
    var action = here || !signedInOnly
      ? el("button", {
        type: "button", className: "small", text: texts.choose,
        "aria-label": format(texts.choose_for, { name: member.name }),
        onclick: function () { results.replaceChildren(); choose(member); },
      })
      : el("span", { className: "notes", text: texts.not_signed_in });
    return el("li", { "data-member-id": String(member.id) }, [
      el("span", { className: "who" }, [
        el("b", { text: member.name }), el("span", { className: "notes", text: member.address }),
      ]),
      action,
    ]);
  }
  function search() {
    var q = input.value.trim();
    if (!q) return;
    results.replaceChildren(el("li", { className: "empty", text: page.texts.searching }));
    request(page.urls.members, { query: { limit: 8, q: q } }).then(function (found) {
      results.replaceChildren.apply(results, found.members.length ? found.members.map(row)
        : [el("li", { className: "empty", text: format(page.texts.no_results, { q: q }) })]);
    }, function (error) { results.replaceChildren(); failed(error); });
  }
  form.querySelector('[data-action="find"]').addEventListener("click", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      search();
    }
  });
}
