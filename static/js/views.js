// The views of a staff screen (the moderator console, the clerk desk): one at a time, chosen with
// the [data-view] buttons of its switch. A reload keeps the voting view (#voting in the address).

/** Show in `main` (its data-view) the view whose button in `bar` is pressed. */
export function viewSwitch(main, bar) {
  function show(view) {
    main.dataset.view = view;
    bar.querySelectorAll("[data-view]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.view === view));
    });
    const url = window.location.pathname + window.location.search + (view === "voting" ? "#voting" : "");
    window.history.replaceState(null, "", url); // a reload keeps the view
  }
  bar.addEventListener("click", (event) => {
    const button = event.target.closest("[data-view]");
    if (button) show(button.dataset.view);
  });
  if (window.location.hash === "#voting") show("voting");
}
