// The Touchpoints chat widget. Embed it with
//   <script src="https://touchpoints.example/chat.js" data-touchpoint="12" async></script>
// No framework and no request to anyone but the Touchpoints server it came from. Every
// message is shown as text, never as HTML.
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !script.dataset.touchpoint) return;
  const base = new URL(script.src).origin;
  const touchpoint = Number(script.dataset.touchpoint);
  const pageLang = (document.documentElement.lang || navigator.language || "de").slice(0, 2);
  const lang = (script.dataset.language || pageLang).toLowerCase() === "en" ? "en" : "de";
  const T = {
    de: {
      open: "Chat öffnen", close: "Chat schließen", title: "Fragen Sie uns",
      placeholder: "Ihre Frage …", send: "Senden", person: "Mit einer Person sprechen",
      name: "Ihr Name (freiwillig)", email: "Ihre E-Mail-Adresse (freiwillig, für eine Antwort per E-Mail)",
      handover: "Übergeben", source: "Quelle", you: "Sie", bot: "Bot", agent: "Team",
      typing: "Eine Person schreibt …", read: "Gelesen", rate: "Wie zufrieden waren Sie mit dem Chat?",
      thanks: "Danke für Ihre Bewertung!", end: "Chat beenden", ended: "Der Chat ist beendet.",
      error: "Das hat nicht geklappt. Bitte versuchen Sie es noch einmal.", stars: (n) => `${n} von 5`,
    },
    en: {
      open: "Open chat", close: "Close chat", title: "Ask us",
      placeholder: "Your question …", send: "Send", person: "Talk to a person",
      name: "Your name (optional)", email: "Your e-mail address (optional, for an answer by e-mail)",
      handover: "Hand over", source: "Source", you: "You", bot: "Bot", agent: "Team",
      typing: "A person is typing …", read: "Read", rate: "How satisfied were you with the chat?",
      thanks: "Thank you for your rating!", end: "End chat", ended: "The chat has ended.",
      error: "That did not work. Please try again.", stars: (n) => `${n} of 5`,
    },
  }[lang];
  const key = `touchpoints-chat-${touchpoint}`;
  // One id per browser, so that its chats meet in one customer profile.
  let device = localStorage.getItem("touchpoints-chat-device");
  if (!device) {
    device = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem("touchpoints-chat-device", device);
  }
  let token = sessionStorage.getItem(key);
  let last = 0;
  let streaming = false;
  let handedOver = false;

  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const host = el("div", { class: "tp-chat" });
  const shadow = host.attachShadow({ mode: "open" });
  const css = `
    :host { all: initial; }
    * { box-sizing: border-box; font: 15px/1.4 system-ui, sans-serif; }
    .launcher { position: fixed; right: 16px; bottom: 16px; border: 0; border-radius: 24px;
      padding: 12px 18px; background: #1d4ed8; color: #fff; cursor: pointer; z-index: 2147483000; }
    .panel { position: fixed; right: 16px; bottom: 16px; width: min(380px, calc(100vw - 32px));
      height: min(560px, calc(100vh - 32px)); display: flex; flex-direction: column;
      background: #fff; color: #111; border: 1px solid #ccc; border-radius: 12px;
      box-shadow: 0 8px 30px rgba(0,0,0,.2); z-index: 2147483000; }
    [hidden] { display: none !important; }
    header { display: flex; justify-content: space-between; align-items: center; padding: 10px 14px;
      background: #1d4ed8; color: #fff; border-radius: 12px 12px 0 0; }
    header button { background: none; border: 0; color: #fff; cursor: pointer; font-size: 20px; }
    ol { list-style: none; margin: 0; padding: 12px; overflow-y: auto; flex: 1; }
    li { margin: 0 0 10px; max-width: 85%; padding: 8px 10px; border-radius: 10px; white-space: pre-wrap; }
    li.customer { margin-left: auto; background: #dbeafe; }
    li.bot, li.agent { background: #f3f4f6; }
    .who { display: block; font-size: 12px; color: #555; }
    .source { display: block; font-size: 12px; color: #374151; margin-top: 4px; }
    .status { min-height: 18px; padding: 0 12px; font-size: 12px; color: #555; }
    form { display: flex; gap: 6px; padding: 8px 12px; border-top: 1px solid #eee; flex-wrap: wrap; }
    input { flex: 1; min-width: 0; padding: 8px; border: 1px solid #999; border-radius: 6px; }
    button.act { padding: 8px 12px; border: 0; border-radius: 6px; background: #1d4ed8; color: #fff; cursor: pointer; }
    button.person { margin: 0 12px 8px; padding: 8px; border: 1px solid #1d4ed8; border-radius: 6px;
      background: #fff; color: #1d4ed8; cursor: pointer; }
    .rating { display: flex; gap: 4px; padding: 8px 12px; flex-wrap: wrap; align-items: center; }
    .rating button { padding: 6px 10px; border: 1px solid #999; border-radius: 6px; background: #fff; cursor: pointer; }
    :focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  `;
  const launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false" }, T.open);
  const panel = el("section", { class: "panel", role: "dialog", "aria-label": T.title, hidden: "" });
  const head = el("header");
  head.append(el("strong", {}, T.title));
  const closeButton = el("button", { type: "button", "aria-label": T.close }, "×");
  head.append(closeButton);
  const log = el("ol", { role: "log", "aria-live": "polite" });
  const status = el("p", { class: "status", "aria-live": "polite" });
  const personButton = el("button", { class: "person", type: "button" }, T.person);
  const contact = el("form", { hidden: "" });
  const nameInput = el("input", { type: "text", autocomplete: "name", "aria-label": T.name, placeholder: T.name });
  const emailInput = el("input", { type: "email", autocomplete: "email", "aria-label": T.email, placeholder: T.email });
  contact.append(nameInput, emailInput, el("button", { class: "act", type: "submit" }, T.handover));
  const ask = el("form");
  const input = el("input", { type: "text", maxlength: "2000", "aria-label": T.placeholder, placeholder: T.placeholder });
  ask.append(input, el("button", { class: "act", type: "submit" }, T.send));
  const endButton = el("button", { class: "person", type: "button" }, T.end);
  const rating = el("div", { class: "rating", hidden: "" });
  panel.append(head, log, status, personButton, contact, ask, endButton, rating);
  // A constructed style sheet is not inline style to a page's Content Security Policy.
  if (shadow.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    shadow.append(el("style", {}, css));
  }
  shadow.append(launcher, panel);
  document.body.append(host);

  const api = async (path, options = {}) => {
    const headers = { "Content-Type": "application/json" };
    if (token) headers["X-Chat-Token"] = token;
    const response = await fetch(base + path, { ...options, headers, credentials: "omit" });
    if (!response.ok) {
      let message = T.error;
      if (response.status < 500) {
        try {
          const body = await response.json();
          message = (body.errors || []).map((e) => e.message).join("; ") || body.message || message;
        } catch (_) { /* not JSON */ }
      }
      throw new Error(message);
    }
    return response.status === 204 ? null : response.json();
  };
  const show = (author, body, source) => {
    const item = el("li", { class: author });
    item.append(el("span", { class: "who" }, author === "customer" ? T.you : author === "bot" ? T.bot : T.agent));
    item.append(document.createTextNode(body));
    if (source) {
      const cited = source.kind === "fact" ? `${source.label}: ${source.value}`
        : source.kind === "passage" ? `${source.title} – ${source.question}` : "";
      if (cited) item.append(el("span", { class: "source" }, `${T.source}: ${cited}`));
    }
    log.append(item);
    log.scrollTop = log.scrollHeight;
  };
  const add = (messages) => {
    for (const m of messages) {
      if (m.id <= last) continue;
      last = m.id;
      show(m.author, m.body, m.source);
    }
  };
  const ended = () => {
    ask.hidden = true; contact.hidden = true; personButton.hidden = true; endButton.hidden = true;
    status.textContent = T.ended;
    rating.hidden = false;
  };
  rating.append(el("span", {}, T.rate));
  for (let n = 1; n <= 5; n++) {
    const star = el("button", { type: "button", "aria-label": T.stars(n) }, "★".repeat(n));
    star.addEventListener("click", async () => {
      try {
        await api("/chat/v1/rating", { method: "POST", body: JSON.stringify({ score: n }) });
        rating.replaceChildren(el("span", {}, T.thanks));
      } catch (e) { status.textContent = e.message; }
    });
    rating.append(star);
  }

  // After a handover the person's messages arrive as Server-Sent Events, read with fetch so
  // the token travels in a header, not in the address.
  const follow = async () => {
    if (streaming || !token) return;
    streaming = true;
    try {
      const response = await fetch(`${base}/chat/v1/events?after=${last}`, {
        headers: { "X-Chat-Token": token }, credentials: "omit",
      });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = (block.match(/^event: (.*)$/m) || [])[1];
          const data = (block.match(/^data: (.*)$/m) || [])[1];
          if (event === "message") { add([JSON.parse(data)]); status.textContent = ""; }
          else if (event === "typing") { status.textContent = T.typing; setTimeout(() => { if (status.textContent === T.typing) status.textContent = ""; }, 4000); }
          else if (event === "read") { status.textContent = T.read; }
          else if (event === "closed") { ended(); }
        }
      }
    } catch (_) {
      // The connection dropped: try again in a moment.
    }
    streaming = false;
    setTimeout(follow, 3000);
  };

  const start = async () => {
    if (token) {
      try {
        const transcript = await api("/chat/v1/messages");
        add(transcript.messages);
        handedOver = transcript.handed_over;
        if (transcript.closed) ended();
        else if (handedOver) { personButton.hidden = true; follow(); }
        return;
      } catch (_) {
        token = null;
        sessionStorage.removeItem(key);
      }
    }
    const started = await api("/chat/v1/conversations", {
      method: "POST", body: JSON.stringify({ touchpoint_id: touchpoint, language: lang }),
    });
    token = started.token;
    sessionStorage.setItem(key, token);
    show("bot", started.welcome);
  };

  let ready = null;
  const open = () => {
    panel.hidden = false; launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    if (!ready) ready = start().catch((e) => { ready = null; status.textContent = e.message; });
    input.focus();
  };
  launcher.addEventListener("click", open);
  closeButton.addEventListener("click", () => {
    panel.hidden = true; launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  });
  panel.addEventListener("keydown", (e) => { if (e.key === "Escape") closeButton.click(); });
  ask.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    try {
      await ready;
      const answered = await api("/chat/v1/messages", { method: "POST", body: JSON.stringify({ text }) });
      add(answered.messages);
      if (answered.offers_person && !handedOver) personButton.focus();
    } catch (err) { status.textContent = err.message; input.value = text; }
  });
  personButton.addEventListener("click", () => { contact.hidden = false; nameInput.focus(); });
  contact.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await ready;
      const body = { name: nameInput.value.trim() || null, email: emailInput.value.trim() || null, device };
      const handed = await api("/chat/v1/handover", { method: "POST", body: JSON.stringify(body) });
      handedOver = true;
      contact.hidden = true; personButton.hidden = true;
      add([handed.message]);
      follow();
    } catch (err) { status.textContent = err.message; }
  });
  endButton.addEventListener("click", async () => {
    try { await ready; await api("/chat/v1/close", { method: "POST" }); } catch (_) { /* ended anyway */ }
    ended();
  });
})();
