// A chart's figures as a table for screen readers: the bars on the wall are drawn for the eye;
// beside them, a visually hidden table says the same figures (WCAG 1.1.1, 1.3.1), and the bars
// themselves are hidden from the accessibility tree so nothing is said twice.

import { el } from "./dom.js";

/**
 * Put (or replace) the table of `rows` ([{label, value}]) right after the chart `container`;
 * `heads` are its two column headings, its caption the chart's heading (the block's h2/h3).
 */
export function figuresTable(container, rows, heads) {
  const heading = container.parentElement.querySelector("h2, h3");
  const table = el("table", { className: "visually-hidden figures-table", dataset: { figuresOf: container.dataset.field } }, [
    heading ? el("caption", { text: heading.textContent.trim() }) : null,
    el("thead", {}, [el("tr", {}, heads.map((head) => el("th", { scope: "col", text: head })))]),
    el("tbody", {}, rows.map((row) => el("tr", {}, [
      el("th", { scope: "row", text: row.label }),
      el("td", { text: row.value }),
    ]))),
  ]);
  const before = container.nextElementSibling;
  if (before && before.matches("table.figures-table")) before.replaceWith(table);
  else container.after(table);
  container.setAttribute("aria-hidden", "true");
  return table;
}
