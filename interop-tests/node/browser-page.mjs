// The page of `weft serve` in a real browser: Debian's Chromium driven by playwright-core.
// Usage: node browser-page.mjs HTTP_BASE OUT_DIR
// Prints one JSON object per line: {"step": ...} as each step passes, then {"ok": true, ...} with
// what it measured; on a failure {"ok": false, "step": ..., "error": ...} and exit status 1.
// Every wait is on the page's own state, with a timeout; screenshots go to OUT_DIR.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import path from "node:path";

const [base, outDir] = process.argv.slice(2);
const TIMEOUT = 20_000;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

mkdirSync(outDir, { recursive: true });
let step = "launch";
const result = {};

function passed(name, details) {
  console.log(JSON.stringify({ step: name, ...details }));
}

// Waits for an element matching selector (a list item) whose text contains every one of parts.
function itemWith(page, selector, ...parts) {
  return page.waitForFunction(([selector, parts]) => [...document.querySelectorAll(selector)]
    .some((li) => parts.every((p) => li.textContent.includes(p))), [selector, parts], { timeout: TIMEOUT });
}

function statusIs(page, id, state, text) {
  return page.waitForFunction(([id, state, text]) => {
    const s = document.getElementById(id);
    return s.dataset.state === state && s.textContent.includes(text);
  }, [id, state, text], { timeout: TIMEOUT });
}

async function joinAs(page, nick, room) {
  await page.fill("#chat-nick", nick);
  await page.fill("#chat-room", room);
  await page.click('#chat-join button[type="submit"]');
  await statusIs(page, "chat-status", "open", "connected to " + room);
}

async function say(page, text) {
  await page.fill("#chat-text", text);
  await page.press("#chat-text", "Enter");
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // As root Chromium runs only without its sandbox; a container's /dev/shm is often small.
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
  timeout: TIMEOUT,
});
try {
  // Two contexts are two separate browser profiles: two people in the same room.
  const alice = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
  const bob = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
  // The page keeps its sockets to itself: note each one so that a test can make the server drop it.
  await bob.addInitScript(() => {
    const Native = window.WebSocket;
    window.testSockets = [];
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        window.testSockets.push(this);
      }
    };
  });
  for (const page of [alice, bob]) {
    page.setDefaultTimeout(TIMEOUT);
    page.on("pageerror", (e) => console.error("page error: " + e.message));
  }

  step = "open the page";
  await alice.goto(base + "/");
  await statusIs(alice, "chat-status", "open", "connected to lobby");
  await alice.waitForFunction(() => document.getElementById("node").textContent.startsWith("node "));
  result.node = await alice.textContent("#node");
  result.title = await alice.title();
  const icon = await alice.evaluate(async () => {
    const link = document.querySelector('link[rel="icon"]');
    const response = await fetch(link.href);
    return { href: link.getAttribute("href"), status: response.status, type: response.headers.get("content-type") };
  });
  result.favicon = icon;
  passed(step, { node: result.node, favicon: icon });

  step = "chat between two browsers";
  await joinAs(alice, "alice", "browsertest");
  await bob.goto(base + "/");
  await statusIs(bob, "chat-status", "open", "connected to lobby");
  await joinAs(bob, "bob", "browsertest");
  await itemWith(alice, "#chat-messages li", "bob joined");
  await say(alice, "hello from alice");
  await itemWith(bob, "#chat-messages li", "alice:", "hello from alice");
  await say(bob, "hello from bob");
  await itemWith(alice, "#chat-messages li", "bob:", "hello from bob");
  passed(step);

  step = "chat reconnects after the server drops it";
  // The chat takes text only: a binary message makes the server close with 1003.
  await bob.evaluate(() => window.testSockets.at(-1).send(new Uint8Array([1, 2, 3])));
  await itemWith(bob, "#chat-messages li", "connection lost: 1003", "reconnecting in 1 s");
  await itemWith(bob, "#chat-messages li", "reconnected to room browsertest");
  await statusIs(bob, "chat-status", "open", "connected to browsertest");
  await say(alice, "after the reconnect");
  await itemWith(bob, "#chat-messages li", "alice:", "after the reconnect");
  passed(step);

  step = "leave notice";
  await joinAs(bob, "bob", "elsewhere");
  await itemWith(alice, "#chat-messages li", "bob left");
  await alice.screenshot({ path: path.join(outDir, "chat.png"), fullPage: true });
  passed(step);

  step = "echo view";
  await alice.click("#tab-echo");
  await alice.waitForSelector("#echo", { state: "visible" });
  await alice.click('#echo-connect button[type="submit"]');
  await statusIs(alice, "echo-status", "open", "connected");
  await itemWith(alice, "#echo-log li.open", "extensions: permessage-deflate");
  result.extensions = await alice.evaluate(() => [...document.querySelectorAll("#echo-log li.open")].at(-1).textContent);
  await alice.click('#echo-send button[type="submit"]');
  await itemWith(alice, "#echo-log li.message", "text (11 chars): hello, weft");
  await alice.click("#echo-binary");
  await itemWith(alice, "#echo-log li.message", "binary 256 bytes, same as sent");
  await alice.click("#echo-mib");
  await itemWith(alice, "#echo-log li.message", "binary 1048576 bytes, same as sent");
  passed(step, { extensions: result.extensions });

  step = "close with a code";
  await alice.fill("#echo-code", "4321");
  await alice.fill("#echo-reason", "browser test");
  await alice.click('#echo-close button[type="submit"]');
  await itemWith(alice, "#echo-log li.sent", "close 4321 browser test");
  // The server answers with the code; the reason it got is in its own log.
  await itemWith(alice, "#echo-log li.close", "4321");
  await statusIs(alice, "echo-status", "closed", "disconnected (4321)");
  passed(step);

  step = "a failed connect says why";
  await alice.fill("#echo-url", base.replace(/^http/, "ws") + "/no-such-endpoint");
  await alice.click('#echo-connect button[type="submit"]');
  await itemWith(alice, "#echo-log li.error", "connect failed: HTTP 404");
  await statusIs(alice, "echo-status", "closed", "failed (404)");
  result.failure = await alice.evaluate(() => [...document.querySelectorAll("#echo-log li.error")].at(-1).textContent);
  await alice.screenshot({ path: path.join(outDir, "echo.png"), fullPage: true });
  passed(step, { failure: result.failure });

  step = "narrow screen";
  const narrow = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
  narrow.setDefaultTimeout(TIMEOUT);
  await narrow.goto(base + "/");
  await statusIs(narrow, "chat-status", "open", "connected to lobby");
  await narrow.waitForFunction(() => document.getElementById("node").textContent.startsWith("node "));
  result.narrow = await narrow.evaluate(() => {
    const header = document.querySelector("header");
    const box = header.getBoundingClientRect();
    const tabs = [...document.querySelectorAll('[role="tab"]')].map((t) => t.getBoundingClientRect());
    return {
      viewport: window.innerWidth,
      pageWidth: document.documentElement.scrollWidth,
      headerScrollWidth: header.scrollWidth,
      headerClientWidth: header.clientWidth,
      // Whatever is in the header stays inside it.
      inside: [...header.querySelectorAll("*")].every((e) => {
        const r = e.getBoundingClientRect();
        return r.width === 0 || (r.left >= box.left - 0.5 && r.right <= box.right + 0.5);
      }),
      tabsOnOneRow: tabs.every((t) => Math.abs(t.top - tabs[0].top) < 1),
    };
  });
  await narrow.screenshot({ path: path.join(outDir, "narrow-360.png"), fullPage: true });
  passed(step, result.narrow);

  console.log(JSON.stringify({ ok: true, ...result }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, step, error: String(e && e.message || e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
