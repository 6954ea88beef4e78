// Progressive enhancement only: every page works without this file.
// Filter forms apply on change, so a choice shows its result without a click.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form.filters");
  if (form && event.target.matches("select, input[type=checkbox]")) form.requestSubmit();
});

// A survey's question fields show the standard question of the metric chosen, which is
// what the survey asks when they are left empty.
document.addEventListener("change", (event) => {
  if (!event.target.matches("form.survey-edit select[name=metric]")) return;
  event.target.form.querySelectorAll("input[data-standard]").forEach((input) => {
    const questions = JSON.parse(input.dataset.standard)[event.target.value];
    if (questions) input.placeholder = questions[input.dataset.lang];
  });
});

// The queue follows changes live: the server announces each change of a request as a
// Server-Sent Event, and the list is fetched anew (the same page, so the same filters).
(() => {
  const list = document.querySelector("#queue-list[data-live]");
  if (!list || !window.EventSource) return;
  let pending = null;
  const refresh = async () => {
    pending = null;
    try {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("#queue-list");
      if (fresh) {
        list.innerHTML = fresh.innerHTML;
        list.dataset.refreshed = String(Number(list.dataset.refreshed || 0) + 1);
      }
      document.querySelectorAll("nav.tabs a").forEach((tab, i) => {
        const same = page.querySelectorAll("nav.tabs a")[i];
        if (same) tab.textContent = same.textContent;
      });
    } catch (_) {
      // Offline for a moment: the next event tries again.
    }
  };
  const events = new EventSource(list.dataset.live);
  events.addEventListener("queue", () => {
    // Many changes at once (a batch) make one refresh.
    if (!pending) pending = setTimeout(refresh, 250);
  });
})();

// On a phone the main menu folds behind a button, so the page starts on the first screen;
// without this file it stays open.
(() => {
  const button = document.querySelector("header.top .menu-button");
  const nav = document.getElementById("main-nav");
  if (!button || !nav) return;
  button.hidden = false;
  nav.classList.add("foldable");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("open", open);
  });
})();

// A chat request's page follows its conversation live: a message the customer writes, and
// the agent's own replies, appear without a reload; typing a reply tells the customer.
(() => {
  const steps = document.querySelector("#request-steps[data-live]");
  if (!steps || !window.EventSource) return;
  const id = Number(steps.dataset.request);
  const refresh = async () => {
    try {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("#request-steps");
      if (fresh) steps.innerHTML = fresh.innerHTML;
    } catch (_) {
      // Offline for a moment: the next event tries again.
    }
  };
  const events = new EventSource(steps.dataset.live);
  events.addEventListener("queue", (event) => {
    const change = JSON.parse(event.data || "{}");
    if (change.request_id === id && change.kind === "customer") refresh();
  });
  const form = document.querySelector("form[data-typing]");
  const csrf = form && form.querySelector("input[name=_csrf]");
  let last = 0;
  if (form && csrf) {
    form.querySelector("textarea").addEventListener("input", () => {
      const now = Date.now();
      if (now - last < 3000) return;
      last = now;
      fetch(form.dataset.typing, { method: "POST", headers: { "X-CSRF-Token": csrf.value } }).catch(() => {});
    });
  }
})();
