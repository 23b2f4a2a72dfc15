/* The organisers' view of an open voting period (templates/clerk_assembly.html): every 30 s
 * while the tab is visible, the page is fetched again and its participation and not-voted
 * sections are swapped in, so the committee sees the count move without reloading (and
 * without losing what the clerk is typing in the office form, which is left alone). Ballots
 * arrive over days from paper, the office and the room: a slow poll is enough, no socket. */
const PERIOD_MS = 30000;
const LIVE = ["live", "not-voted"];

export async function refresh() {
  if (document.hidden) return;
  const response = await fetch(location.pathname, { headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const id of LIVE) {
    const now = document.getElementById(id);
    const next = fresh.getElementById(id);
    if (!now || !next) continue;
    const open = [...now.querySelectorAll("details[open] summary")].map((s) => s.textContent);
    now.replaceWith(next);
    // Keep the buildings the clerk unfolded open (by their summary's building name).
    for (const summary of next.querySelectorAll("details summary")) {
      const building = summary.textContent.split(/[:：]/)[0];
      if (open.some((text) => text.split(/[:：]/)[0] === building)) summary.parentElement.open = true;
    }
  }
}

if (document.querySelector('[data-testid="assembly-desk"][data-state="open"]')) {
  setInterval(() => refresh().catch(() => {}), PERIOD_MS);
}
