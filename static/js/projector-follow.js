// The follow-up report item on the wall (督办事项通报): while that agenda item is under
// discussion, its list of overdue and lately completed action items takes the speaker's place.
// projector-floor.js keeps the current item's id on [data-testid="current-item"]; this watches
// it, switches the wall's data-follow, and fetches the list afresh when the item comes up (it was
// frozen when the meeting opened).

const wall = document.querySelector(".wall");
const heading = wall && wall.querySelector('[data-testid="current-item"]');

function reportId() {
  const report = document.getElementById("follow-report");
  return report ? report.dataset.itemId : "";
}

function refresh() {
  return fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((html) => {
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("follow-report");
      const shown = document.getElementById("follow-report");
      if (fresh && shown) shown.replaceWith(document.importNode(fresh, true));
    })
    .catch(() => {});
}

function update() {
  const id = reportId();
  const on = Boolean(id) && wall.dataset.mode === "floor" && heading.dataset.itemId === id;
  const was = wall.dataset.follow === "on";
  wall.dataset.follow = on ? "on" : "off";
  if (on && !was) refresh();
}

if (wall && heading) {
  const watch = new MutationObserver(update);
  watch.observe(heading, { attributes: true, attributeFilter: ["data-item-id"] });
  watch.observe(wall, { attributes: true, attributeFilter: ["data-mode"] });
  update();
}
