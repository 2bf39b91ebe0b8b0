// The demo page of `weft serve`: a chat view on /chat/ROOM and an echo view on /echo.
// Everything is built with textContent, never innerHTML, so messages cannot inject markup.
"use strict";

(function () {
  // Opened from a file rather than from the server, the page still needs somewhere to connect.
  const host = location.host || "127.0.0.1:8080";
  const wsBase = (location.protocol === "https:" ? "wss://" : "ws://") + host;
  const MIB = 1024 * 1024;

  const $ = (id) => document.getElementById(id);

  function clock() {
    const d = new Date();
    const two = (n) => String(n).padStart(2, "0");
    return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds())
      + "." + String(d.getMilliseconds()).padStart(3, "0");
  }

  function span(className, text) {
    const s = document.createElement("span");
    s.className = className;
    s.textContent = text;
    return s;
  }

  function append(list, item) {
    const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    list.appendChild(item);
    if (stick) {
      list.scrollTop = list.scrollHeight;
    }
  }

  function setStatus(element, state, text) {
    element.dataset.state = state;
    element.textContent = text;
  }

  function describeClose(event) {
    return event.code + (event.reason ? " " + event.reason : "") + (event.wasClean ? "" : " (not clean)");
  }

  // Why a WebSocket did not open. Browsers hide the HTTP status of a refused handshake, so this
  // asks for the same URL as a plain GET: a path without an endpoint answers 404 either way and a
  // full server 503, while a WebSocket endpoint answers a plain GET with 400 (it is no upgrade).
  // Resolves to {status, text}; status is null when no HTTP answer came.
  function whyRefused(wsUrl) {
    const url = new URL(wsUrl);
    url.protocol = url.protocol === "wss:" ? "https:" : "http:";
    return fetch(url, { cache: "no-store" }).then((response) => response.text().then((body) => {
      const status = "HTTP " + response.status + (response.statusText ? " " + response.statusText : "");
      if (response.status === 400) {
        return { status: 400, text: status + " to a plain GET: a WebSocket endpoint is there, so the upgrade itself failed" };
      }
      const said = body.split("\n")[0].slice(0, 200);
      return { status: response.status, text: status + (said ? " (" + said + ")" : "") };
    })).catch(() => ({
      status: null,
      text: "no HTTP answer from " + url.host + " (the server is down, or on another origin that does not let this page ask)",
    }));
  }

  // ------------------------------------------------------------------ tabs

  const tabs = document.querySelectorAll('[role="tab"]');

  function show(view) {
    for (const tab of tabs) {
      const selected = tab.dataset.view === view;
      tab.setAttribute("aria-selected", String(selected));
      $(tab.dataset.view).hidden = !selected;
    }
    if (location.hash !== "#" + view) {
      history.replaceState(null, "", "#" + view);
    }
  }

  for (const tab of tabs) {
    tab.addEventListener("click", () => show(tab.dataset.view));
  }

  // ------------------------------------------------------------------ chat

  // Which node (server process) serves this page: with `weft serve --cluster`, rooms span several.
  let node = null;
  fetch("/info").then((response) => response.ok ? response.json() : null).then((info) => {
    if (info && typeof info.node === "string") {
      node = info.node;
      $("node").textContent = "node " + info.node + (info.cluster ? " · cluster " + info.cluster : "");
    }
  }).catch(() => { /* an older server: no node to show */ });

  // Page users send {nick, text} to the room, and {nick, event: "join"} or {nick, event: "leave"} as
  // they come and go: the server relays text as it came and tells nobody who is in a room.
  const chat = {
    socket: null,
    nick: null, // the nickname the open socket joined as
    retries: 0, // reconnects tried since the socket last opened
    timer: null, // the pending reconnect, if any
    list: $("chat-messages"),
    status: $("chat-status"),
  };

  function chatNotice(text) {
    const li = document.createElement("li");
    li.className = "notice";
    li.append(span("time", clock()), document.createTextNode(text));
    append(chat.list, li);
  }

  function chatLine(nick, text) {
    const li = document.createElement("li");
    li.append(span("time", clock()), span("nick", nick + ":"), document.createTextNode(text));
    append(chat.list, li);
  }

  function nickname() {
    return $("chat-nick").value.trim() || "guest";
  }

  // Leaves the room on purpose (to join another, or as the page goes away): no reconnect.
  function chatLeave(reason) {
    clearTimeout(chat.timer);
    chat.timer = null;
    const socket = chat.socket;
    if (socket) {
      // Forget the old socket first so its close event does not report on the new room.
      socket.onclose = null;
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ nick: chat.nick, event: "leave" }));
      }
      socket.close(1000, reason);
      chat.socket = null;
    }
  }

  function chatReceive(data) {
    // Anyone not on the page (say, weft connect) sends plain text.
    let message;
    try {
      message = JSON.parse(data);
    } catch (e) {
      message = null;
    }
    if (message && typeof message.nick === "string" && typeof message.text === "string") {
      chatLine(message.nick, message.text);
    } else if (message && typeof message.nick === "string" && (message.event === "join" || message.event === "leave")) {
      chatNotice(message.nick + (message.event === "join" ? " joined" : " left"));
    } else {
      chatLine("(text)", String(data));
    }
  }

  // A socket that drops, or cannot open, is tried again after 1, 2, 4 ... and at most 30 seconds.
  function chatRetry(room, what) {
    const delay = Math.min(30, 2 ** chat.retries);
    chat.retries++;
    chatNotice(what + "; reconnecting in " + delay + " s");
    setStatus(chat.status, "connecting", "reconnecting in " + delay + " s…");
    chat.timer = setTimeout(() => {
      chat.timer = null;
      chatConnect(room, true);
    }, delay * 1000);
  }

  function chatConnect(room, again) {
    const socket = new WebSocket(wsBase + "/chat/" + encodeURIComponent(room));
    chat.socket = socket;
    let opened = false;
    setStatus(chat.status, "connecting", "connecting…");
    socket.onopen = () => {
      opened = true;
      chat.retries = 0;
      const where = node ? " on node " + node : "";
      setStatus(chat.status, "open", "connected to " + room + where);
      chatNotice((again ? "reconnected to room " : "joined room ") + room + where);
      chat.nick = nickname();
      socket.send(JSON.stringify({ nick: chat.nick, event: "join" }));
    };
    socket.onmessage = (event) => chatReceive(event.data);
    socket.onclose = (event) => {
      chat.socket = null;
      if (opened) {
        chatRetry(room, "connection lost: " + describeClose(event));
        return;
      }
      whyRefused(socket.url).then((why) => {
        if (chat.socket === null && chat.timer === null) { // unless the user joined a room meanwhile
          chatRetry(room, "cannot connect to room " + room + ": " + why.text);
        }
      });
    };
  }

  $("chat-join").addEventListener("submit", (event) => {
    event.preventDefault();
    localStorage.setItem("weft-nick", $("chat-nick").value.trim());
    chatLeave("changing rooms");
    chat.retries = 0;
    chatConnect($("chat-room").value.trim() || "lobby", false);
  });

  window.addEventListener("pagehide", () => chatLeave("page closed"));

  $("chat-send").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("chat-text");
    const text = input.value;
    if (!text || !chat.socket || chat.socket.readyState !== WebSocket.OPEN) {
      return;
    }
    chat.socket.send(JSON.stringify({ nick: nickname(), text: text }));
    input.value = "";
    input.focus();
  });

  // ------------------------------------------------------------------ echo

  const echo = {
    socket: null,
    log: $("echo-log"),
    status: $("echo-status"),
    sent: [], // binary messages sent and not yet echoed, oldest first
  };

  function log(kind, text) {
    const li = document.createElement("li");
    li.className = kind;
    li.append(span("time", clock()), span("kind", kind), document.createTextNode(text));
    append(echo.log, li);
  }

  function openEcho() {
    return echo.socket && echo.socket.readyState === WebSocket.OPEN;
  }

  function sameBytes(a, b) {
    if (a.length !== b.length) {
      return false;
    }
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        return false;
      }
    }
    return true;
  }

  function randomBytes(n) {
    const bytes = new Uint8Array(n);
    // getRandomValues fills at most 65,536 bytes per call.
    for (let off = 0; off < n; off += 65536) {
      crypto.getRandomValues(bytes.subarray(off, Math.min(n, off + 65536)));
    }
    return bytes;
  }

  function echoConnect() {
    if (echo.socket) {
      log("error", "already connected; disconnect first");
      return;
    }
    let socket;
    try {
      socket = new WebSocket($("echo-url").value.trim());
    } catch (e) {
      log("error", e.message);
      return;
    }
    socket.binaryType = "arraybuffer";
    echo.socket = socket;
    echo.sent = [];
    setStatus(echo.status, "connecting", "connecting…");
    log("connect", socket.url);
    let opened = false;
    socket.onopen = () => {
      opened = true;
      setStatus(echo.status, "open", "connected");
      log("open", "subprotocol: " + (socket.protocol || "none") + ", extensions: " + (socket.extensions || "none"));
    };
    socket.onmessage = (event) => {
      if (typeof event.data === "string") {
        const text = event.data.length > 200 ? event.data.slice(0, 200) + "…" : event.data;
        log("message", "text (" + event.data.length + " chars): " + text);
        return;
      }
      const bytes = new Uint8Array(event.data);
      const expected = echo.sent.shift();
      const verdict = expected === undefined ? "" : sameBytes(bytes, expected) ? ", same as sent" : ", DIFFERENT from what was sent";
      log("message", "binary " + bytes.length + " bytes" + verdict);
    };
    socket.onerror = () => {
      // Browsers say nothing more about the cause; the close event that follows has the code.
      log("error", opened ? "the connection failed" : "the connection could not be opened");
    };
    socket.onclose = (event) => {
      log("close", describeClose(event));
      echo.socket = null;
      if (opened) {
        setStatus(echo.status, "closed", "disconnected (" + event.code + ")");
        return;
      }
      setStatus(echo.status, "closed", "failed");
      whyRefused(socket.url).then((why) => {
        log("error", "connect failed: " + why.text);
        if (echo.socket === null) {
          setStatus(echo.status, "closed", "failed" + (why.status ? " (" + why.status + ")" : ""));
        }
      });
    };
  }

  function sendBinary(bytes) {
    if (!openEcho()) {
      log("error", "not connected");
      return;
    }
    echo.sent.push(bytes);
    echo.socket.send(bytes);
    log("sent", "binary " + bytes.length + " bytes");
  }

  $("echo-url").value = wsBase + "/echo";

  $("echo-connect").addEventListener("submit", (event) => {
    event.preventDefault();
    echoConnect();
  });

  $("echo-disconnect").addEventListener("click", () => {
    if (echo.socket) {
      echo.socket.close(1000, "disconnect");
    }
  });

  $("echo-send").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!openEcho()) {
      log("error", "not connected");
      return;
    }
    const text = $("echo-text").value;
    echo.socket.send(text);
    log("sent", "text (" + text.length + " chars): " + text);
  });

  $("echo-binary").addEventListener("click", () => sendBinary(randomBytes(256)));
  $("echo-mib").addEventListener("click", () => sendBinary(randomBytes(MIB)));

  $("echo-close").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!echo.socket) {
      log("error", "not connected");
      return;
    }
    const code = Number($("echo-code").value);
    const reason = $("echo-reason").value;
    try {
      // Browsers allow only 1000 and 3000–4999 here, and throw for anything else.
      echo.socket.close(code, reason);
      // What comes back is the server's close, which need not repeat the reason.
      log("sent", "close " + code + (reason ? " " + reason : ""));
    } catch (e) {
      log("error", e.message);
    }
  });

  $("echo-clear").addEventListener("click", () => echo.log.replaceChildren());

  // ------------------------------------------------------------------ start

  const nick = localStorage.getItem("weft-nick") || "guest-" + Math.floor(1000 + Math.random() * 9000);
  $("chat-nick").value = nick;
  show(location.hash === "#echo" ? "echo" : "chat");
  chatConnect($("chat-room").value.trim() || "lobby", false);
})();
