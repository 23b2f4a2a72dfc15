// Time on the screens: the server's clock, moments from the server, and how they are shown.
// Screens render clocks and countdowns themselves from deadlines; the server never ticks.

/** Milliseconds since the epoch of an ISO 8601 moment (microseconds cut to milliseconds). */
export function parseTime(iso) {
  return iso ? Date.parse(String(iso).replace(/(\.\d{3})\d+/, "$1")) : NaN;
}

function pad(number) {
  return (number < 10 ? "0" : "") + number;
}

/** "1:45" left (ceiling of the seconds), "+0:12" over (floor): as timer.format_clock. */
export function formatClock(ms) {
  const over = ms < 0;
  const seconds = over ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  return (over ? "+" : "") + Math.floor(seconds / 60) + ":" + pad(seconds % 60);
}

/** A duration in whole seconds as "12:05" (or "1:02:05"). */
export function formatDuration(totalSeconds) {
  const s = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return (hours ? hours + ":" + pad(minutes) : String(minutes)) + ":" + pad(s % 60);
}

/**
 * The server's clock: this browser's clock plus an offset, from the server's time (ms since the
 * epoch) written into the page when it was served, then from the `server_now` of each snapshot
 * that arrives (`sync`, fresher). `now()` is in server milliseconds.
 */
export function serverClock(serverNowMs) {
  let offset = typeof serverNowMs === "number" ? serverNowMs - Date.now() : 0;
  return {
    now: () => Date.now() + offset,
    sync(snapshot) {
      const server = snapshot ? parseTime(snapshot.server_now) : NaN;
      if (!isNaN(server)) offset = server - Date.now();
    },
  };
}

/** Call `render` now and about five times a second (enough for a seconds display). */
export function everyTick(render) {
  render();
  return window.setInterval(render, 200);
}
