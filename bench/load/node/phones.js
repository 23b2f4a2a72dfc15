// One load-generator process on Node.js: many simulated phones, real socket.io-client sockets.
//
// The same protocol as bench/load/phones.py (``--generator node``): JSON lines on stdin, one
// JSON line answered on stdout per command (connect, vote, floor, usage, stop). Each phone is
// its own connection (forceNew) on the WebSocket transport only; like a browser, it offers
// permessage-deflate. Times are CLOCK_MONOTONIC seconds (process.hrtime, the clock of
// Python's time.monotonic()), so the scenario compares them across processes.
"use strict";

const readline = require("readline");
const { io } = require("socket.io-client");

const PHONE = "/phone";
const CHOICES = ["for", "against", "abstain"];
const ACK_TIMEOUT_MS = 8000; // static/js/live.js: an unanswered ballot counts as lost then
const RECONNECT_MAX_MS = 3000; // static/js/live.js: the longest pause between reconnects
const RESEND_MS = 2000; // static/js/phone-ballot.js: lost while connected, it goes again then
const cpuAtStart = process.cpuUsage();

function monotonic() {
  return Number(process.hrtime.bigint()) / 1e9;
}

function cpuSeconds(since) {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function sleep(seconds) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000)));
}

function randomHex(bytes) {
  return require("crypto").randomBytes(bytes).toString("hex");
}

class Phone {
  constructor(index, token) {
    this.index = index;
    this.token = token;
    this.socket = null;
    this.floors = [];
    this.disconnects = 0;
    this.joined = false;
    this.error = null;
    this.joins = [];
    this.connects = [];
    this.pending = null;
  }

  connect(url, headers, reconnect) {
    const started = monotonic();
    return new Promise((resolve) => {
      let first = true;
      const done = (error) => {
        if (!first) return;
        first = false;
        this.error = error;
        resolve({ i: this.index, start: started, end: monotonic(), error: this.error });
      };
      // With `reconnect` (the Wi-Fi bench), the phone behaves like the phone page
      // (static/js/live.js): Socket.IO's own reconnection (1 s, then up to 3 s, ±50 %),
      // "join" again on every connect, and a ballot still waiting sent again.
      const socket = io(url + PHONE, {
        transports: ["websocket"],
        extraHeaders: headers,
        reconnection: Boolean(reconnect),
        reconnectionDelayMax: RECONNECT_MAX_MS,
        forceNew: true,
        timeout: 30000,
        perMessageDeflate: process.env.BENCH_DEFLATE === "1" ? { threshold: 1024 } : false,
      });
      this.socket = socket;
      socket.on("floor", (data) => {
        this.floors.push([data && typeof data.version === "number" ? data.version : -1, monotonic()]);
      });
      socket.on("disconnect", () => {
        if (this.joined) this.disconnects += 1;
      });
      socket.on("connect_error", (error) => {
        if (first && !reconnect) done(`connect_error: ${error.message}`);
      });
      // Reconnecting by itself, a phone would try for ever: the first join has a minute.
      if (reconnect) setTimeout(() => done("no join within 60 s"), 60000).unref();
      socket.on("connect", () => {
        this.connects.push(monotonic());
        socket.timeout(30000).emit("join", { token: this.token }, (error, answer) => {
          if (error) return done(`join: ${error.message}`);
          if (!answer || answer.error) {
            return done(`join refused: ${JSON.stringify(answer && answer.error)}`);
          }
          this.joined = true;
          this.joins.push({
            t: monotonic(),
            version: answer.version,
            floor: answer.floor && answer.floor.version,
            poll: answer.poll && answer.poll.id,
            voted: Boolean(answer.voted),
          });
          if (this.pending) this.send(this.pending);
          done(null);
        });
      });
    });
  }

  /** Tap a ballot that survives the network (the phone page's way: static/js/phone-ballot.js):
   *  one client id, sent now if connected, sent again after each rejoin until acknowledged. */
  tap(pollId, choice, at) {
    return sleep(at - monotonic()).then(() => {
      const record = { i: this.index, tapped: monotonic(), sent: [], ack: null };
      this.pending = {
        record,
        payload: { token: this.token, poll_id: pollId, choices: [choice], client_id: randomHex(16) },
      };
      this.send(this.pending);
      return record;
    });
  }

  send(pending) {
    if (!this.socket.connected) return;
    pending.record.sent.push(monotonic());
    this.socket.timeout(ACK_TIMEOUT_MS).emit("ballot.cast", pending.payload, (error, answer) => {
      if (pending.record.ack !== null) return;
      if (error) {
        // Lost: it goes again after the rejoin, or soon if the connection stayed up.
        pending.record.timeouts = (pending.record.timeouts || 0) + 1;
        setTimeout(() => {
          if (this.pending === pending && this.socket.connected) this.send(pending);
        }, RESEND_MS);
        return;
      }
      pending.record.ack = monotonic();
      if (answer && answer.ok) {
        pending.record.receipt = answer.receipt;
        pending.record.repeated = Boolean(answer.repeated);
      } else {
        pending.record.error = (answer && answer.error && answer.error.code) || String(answer);
      }
      if (this.pending === pending) this.pending = null;
    });
  }

  vote(pollId, choice, at, results, timeout) {
    return sleep(at - monotonic()).then(
      () =>
        new Promise((resolve) => {
          const record = { i: this.index, sent: monotonic(), ack: null };
          results.push(record);
          const payload = {
            token: this.token,
            poll_id: pollId,
            choices: [choice],
            client_id: randomHex(16),
          };
          this.socket.timeout(timeout * 1000).emit("ballot.cast", payload, (error, answer) => {
            if (error) {
              record.error = `timeout: ${error.message}`;
              return resolve();
            }
            record.ack = monotonic();
            if (answer && answer.ok) {
              record.receipt = answer.receipt;
              record.repeated = Boolean(answer.repeated);
            } else {
              record.error = (answer && answer.error && answer.error.code) || String(answer);
            }
            resolve();
          });
        })
    );
  }
}

class Generator {
  constructor() {
    this.phones = [];
  }

  async connect(command) {
    const first = Number(command.first);
    const headers = command.headers || {};
    const fresh = command.tokens.map((token, n) => new Phone(first + n, token));
    this.phones.push(...fresh);
    const cpu = process.cpuUsage();
    const records = new Array(fresh.length);
    let next = 0;
    const worker = async () => {
      while (next < fresh.length) {
        const n = next++;
        records[n] = await fresh[n].connect(command.url, headers, command.reconnect);
      }
    };
    const workers = Math.max(1, Number(command.concurrency) || 20);
    await Promise.all(Array.from({ length: workers }, worker));
    return { connects: records, cpu_s: cpuSeconds(cpu) };
  }

  async vote(command) {
    const total = Math.max(Number(command.total), 1);
    const spread = Number(command.spread);
    const at = Number(command.at);
    const timeout = Number(command.timeout || 30);
    const results = [];
    const cpu = process.cpuUsage();
    await Promise.all(
      this.phones
        .filter((phone) => phone.joined)
        .map((phone) =>
          phone.vote(
            Number(command.poll_id),
            CHOICES[phone.index % CHOICES.length],
            at + (spread * phone.index) / total,
            results,
            timeout
          )
        )
    );
    return { ballots: results, cpu_s: cpuSeconds(cpu) };
  }

  /** Every joined phone (or those of `indices`) taps its ballot at its moment; answers at once
   *  (`ballots` collects every tap since the last collection). */
  tap(command) {
    const total = Math.max(Number(command.total), 1);
    const spread = Number(command.spread);
    const at = Number(command.at);
    const only = command.indices ? new Set(command.indices) : null;
    const taps = this.phones
      .filter((phone) => phone.joined && (!only || only.has(phone.index)))
      .map((phone) =>
        phone.tap(Number(command.poll_id), CHOICES[phone.index % CHOICES.length],
          at + (spread * phone.index) / total)
      );
    this.taps = (this.taps || []).concat(taps); // collected together by `ballots`
    return { tapping: taps.length };
  }

  /** The taps' records once each is acknowledged (or `timeout` s have passed). */
  async ballots(command) {
    const records = await Promise.all(this.taps || []);
    const deadline = monotonic() + Number(command.timeout || 30);
    while (monotonic() < deadline && records.some((r) => r.ack === null && !r.error)) {
      await sleep(0.05);
    }
    this.taps = [];
    return { ballots: records };
  }

  /** Each phone's joins (time, versions of its join answer) after `since`. */
  joins(command) {
    const since = Number(command.since || 0);
    return {
      phones: this.phones.map((phone) => ({
        i: phone.index,
        connected: Boolean(phone.socket && phone.socket.connected),
        joins: phone.joins.filter((join) => join.t >= since),
        connects: phone.connects.filter((t) => t >= since),
      })),
    };
  }

  floor() {
    const seen = [];
    for (const phone of this.phones) {
      if (phone.joined) seen.push({ i: phone.index, floors: phone.floors });
      phone.floors = [];
    }
    return { phones: seen };
  }

  usage() {
    return {
      cpu_s: cpuSeconds(cpuAtStart),
      disconnects: this.phones.reduce((sum, phone) => sum + phone.disconnects, 0),
      connected: this.phones.filter((phone) => phone.socket && phone.socket.connected).length,
    };
  }

  stop() {
    for (const phone of this.phones) {
      phone.joined = false;
      if (phone.socket) phone.socket.disconnect();
    }
    return this.usage();
  }
}

async function main() {
  const generator = new Generator();
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const command = JSON.parse(line);
    const answer = await generator[command.cmd](command);
    process.stdout.write(JSON.stringify(answer) + "\n");
    if (command.cmd === "stop") break;
  }
  generator.stop();
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`phones.js: ${error.stack || error}\n`);
  process.exit(1);
});
