// After a sign-in: what it means for this person in words, their personal QR code, the slip.

import { request } from "../js/http.js";
import { format } from "../js/page.js";

/** The greeting, the lines saying whether they count, and the QR code's caption. */
function words(receipt, kind, S) {
  const { name } = receipt;
  if (kind === "proxy") {
    const lines = [
      [format(S.proxy_who, { proxy: receipt.proxy_name, name, address: receipt.address }), ""],
      [S.proxy_mandate, "strong warn"],
    ];
    if (!receipt.eligible) lines.push([format(S.proxy_observer, { name }), ""]);
    return {
      greeting: format(S.proxy_greeting, { name }),
      lines,
      caption: format(S.qr_caption_proxy, { name }),
    };
  }
  const lines = [];
  if (receipt.again) lines.push([format(S.again, { time: receipt.first_signed_in_at }), "strong"]);
  if (receipt.replaced_proxy) lines.push([S.replaced_proxy, "strong"]);
  lines.push(receipt.eligible ? [S.counted, ""] : [S.observer, "warn"]);
  // The answers to the resident's own topics since they last came (议题征集), in words.
  for (const notice of receipt.topic_notices || []) lines.push([notice, "strong topic-notice"]);
  return { greeting: format(S.greeting, { name }), lines, caption: S.qr_caption };
}

/** Fill the done screen (`section`) for a member's or a proxy's (`kind`) sign-in. */
export function showReceipt(section, receipt, kind, S) {
  const part = (role) => section.querySelector(`[data-role="${role}"]`);
  const { greeting, lines, caption } = words(receipt, kind, S);
  part("greeting").textContent = greeting;
  part("lines").replaceChildren(...lines.map(([text, className]) => {
    const line = document.createElement("p");
    line.textContent = text;
    line.className = className;
    return line;
  }));
  part("qr").innerHTML = receipt.qr_svg; // the server's SVG; its label is escaped there
  part("qr-caption").textContent = caption;
  part("print-status").hidden = true;
}

/**
 * The printed slip: asked of the server for a receipt, the PDF prints from a tiny frame rather
 * than a new tab, so the next person never finds the previous one's code open on the screen.
 * `drop()` removes it, and forgets a slip still on its way.
 */
export class SlipFrame {
  constructor(slipUrl) {
    this.slipUrl = slipUrl;
    this.frame = null;
    this.url = null;
    this.asked = null;
  }

  /** Ask for the slip of `receipt` and print it; `status` says how it goes, in the words of S. */
  async printFor(receipt, status, S) {
    return this.printAsked({ phone_url: receipt.phone_url }, status, S);
  }

  /** Ask for the slip `body` names (POSTed to the slip's URL) and print it, as printFor. */
  async printAsked(body, status, S) {
    status.className = "message";
    status.textContent = S.printing;
    status.hidden = false;
    const asked = (this.asked = {});
    let pdf = null;
    try {
      pdf = await request(this.slipUrl, { method: "POST", body, accept: "application/pdf" });
    } catch {
      // Said below; the staff can still print the slip from the desk.
    }
    if (this.asked !== asked) return; // dropped (the person has gone) or asked again meanwhile
    if (pdf) this.print(pdf, S.printing);
    status.className = pdf ? "message ok" : "message bad";
    status.textContent = pdf ? S.printed : S.print_failed;
  }

  print(pdf, title) {
    this.drop();
    this.url = URL.createObjectURL(pdf);
    const frame = document.createElement("iframe");
    frame.className = "slip-frame";
    frame.title = title;
    frame.tabIndex = -1;
    frame.setAttribute("aria-hidden", "true");
    frame.style.cssText = "position:fixed;right:0;bottom:0;width:1px;height:1px;border:0;opacity:0";
    frame.addEventListener("load", () => {
      try {
        frame.contentWindow.focus();
        frame.contentWindow.print();
      } catch {
        // No PDF viewer in this browser: the staff can still print the slip from the desk.
      }
    });
    frame.src = this.url;
    document.body.append(frame);
    this.frame = frame;
  }

  drop() {
    this.asked = null;
    this.frame?.remove();
    if (this.url) URL.revokeObjectURL(this.url);
    this.frame = this.url = null;
  }
}

const COUNT_TICK_MS = 250;

/**
 * The personal code's time on the done screen: large figures count down from `seconds`, then
 * `onEnd()` (the kiosk starts over and the code is gone, so the next person in the queue cannot
 * photograph it). `start()` again gives the full time ("Show it longer"); `stop()` when the
 * person leaves sooner ("I have kept it").
 */
export class QrCountdown {
  constructor({ seconds, count, words, text, onEnd }) {
    Object.assign(this, { count, words, text, onEnd });
    this.ms = Math.max(1, seconds) * 1000;
    this.timer = null;
  }

  start() {
    this.stop();
    this.deadline = Date.now() + this.ms;
    this.timer = window.setInterval(() => this.show(), COUNT_TICK_MS);
    this.show();
  }

  show() {
    const left = Math.max(0, Math.ceil((this.deadline - Date.now()) / 1000));
    this.count.textContent = String(left);
    this.words.textContent = format(this.text, { n: left });
    if (left === 0) {
      this.stop();
      this.onEnd();
    }
  }

  stop() {
    window.clearInterval(this.timer);
    this.timer = null;
  }
}
