// Resident QR cards: a USB scanner "types" the code fast and ends with Enter; on the server's
// own screen (localhost or https) the camera can read the card too, decoded by jsQR.

const BURST_GAP_MS = 120; // scanners type a key every few ms; a missed card is worse than a
// false alarm (someone typing fast on the start screen only sees "not on the roster")
const MIN_CODE_LENGTH = 4;
const FRAME_MS = 200;

/**
 * Catch keystroke bursts ending in Enter, wherever the focus is, while `isReady()`.
 * Slow typing never adds up to a code, so buttons still work with Enter from a keyboard.
 */
export function listenForCards(isReady, onCode) {
  let buffer = "";
  let last = 0;
  document.addEventListener(
    "keydown",
    (event) => {
      if (!isReady() || event.target.closest?.("input, textarea")) {
        buffer = "";
        return;
      }
      const now = performance.now();
      if (now - last > BURST_GAP_MS) buffer = "";
      last = now;
      if (event.key === "Enter") {
        if (buffer.length >= MIN_CODE_LENGTH) {
          event.preventDefault();
          event.stopPropagation();
          onCode(buffer);
        }
        buffer = "";
      } else if (event.key.length === 1) {
        buffer += event.key;
      }
    },
    true,
  );
}

/** Whether this browser may use a camera here (getUserMedia needs localhost or https). */
export function cameraPossible() {
  return Boolean(window.isSecureContext && navigator.mediaDevices?.getUserMedia);
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
}

/**
 * Show the camera in `video` and call `onCode` with the first QR code read.
 * Returns a function that stops the camera (call it on every way out of the screen).
 */
export async function startCamera(video, jsqrUrl, onCode) {
  if (!window.jsQR) await loadScript(jsqrUrl);
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: "environment" },
    audio: false,
  });
  let stopped = false;
  let timer = 0;
  const stop = () => {
    stopped = true;
    window.clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  video.srcObject = stream;
  await video.play();
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const look = () => {
    if (stopped) return;
    if (video.readyState >= 2 && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(frame.data, frame.width, frame.height, {
        inversionAttempts: "attemptBoth",
      });
      if (found && found.data) {
        stop();
        onCode(found.data);
        return;
      }
    }
    timer = window.setTimeout(look, FRAME_MS);
  };
  look();
  return stop;
}
