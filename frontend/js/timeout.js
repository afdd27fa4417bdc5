// The warning before a signed-in session ends (WCAG 2.2 success criterion 2.2.1).
//
// The page says how many seconds its session had left when it was drawn. A little before
// the end (data-warning-seconds) this asks SafeHub how long is really left, because another
// tab or a draft's autosave may have kept the session alive; if the end is still near it
// opens the dialog, a native modal <dialog>: focus moves into it and stays there (Tab goes
// round its buttons), and screen readers announce its heading and message. "Stay signed in"
// (or Escape) asks SafeHub for more time; "Sign out" signs out. The countdown is read out a
// minute at a time.
//
// When the time runs out nothing typed is lost: if a form on the page was changed, it is
// sent marked as timed out, and SafeHub keeps it as a draft, asks the person to sign in
// again and puts it back; otherwise the page is asked for again and SafeHub shows the
// sign-in page, then brings the person back here.

const TIMED_OUT_FIELD = "session_timed_out";
const TICK_MS = 1000;

function csrfToken(root) {
  const input = root.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function inWords(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  const rounded = Math.max(1, Math.ceil(seconds));
  return `${rounded} second${rounded === 1 ? "" : "s"}`;
}

// What SafeHub says is left, in seconds; 0 when the session has ended or cannot be asked
// about (a redirect to the sign-in page is an ended session).
function ask(url, { headers = {}, ...options } = {}) {
  return fetch(url, {
    ...options,
    credentials: "same-origin",
    redirect: "manual",
    headers: { Accept: "application/json", ...headers },
  })
    .then((response) => (response.ok ? response.json() : { seconds_left: 0 }))
    .then((data) => Number(data.seconds_left) || 0);
}

export function initTimeout(root = document) {
  const dialog = root.getElementById("session-timeout");
  if (!dialog || typeof dialog.showModal !== "function") return;
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announce = dialog.querySelector("[data-timeout-announce]");
  const extendForm = dialog.querySelector("[data-timeout-extend-form]");
  let deadline = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  let asking = false;
  let ending = false;
  let lastSpoken = "";
  let returnFocus = null;
  let edited = null; // the form last typed in, sent as a draft if the time runs out

  root.addEventListener("input", (event) => {
    const form = event.target && event.target.form;
    if (form && !dialog.contains(form)) edited = form;
  });

  function show(leftMs) {
    const words = inWords(leftMs / 1000);
    if (countdown) countdown.textContent = words;
    // Spoken when the minutes change and once in the last half-minute, not every second.
    const spoken = leftMs > 60000 ? words : leftMs > 30000 ? "1 minute" : "30 seconds";
    if (announce && spoken !== lastSpoken && dialog.open) {
      announce.textContent = `You will be signed out in ${spoken}.`;
      lastSpoken = spoken;
    }
  }

  function open(leftMs) {
    if (dialog.open) return;
    returnFocus = root.activeElement;
    lastSpoken = "";
    show(leftMs);
    dialog.showModal();
  }

  function close() {
    if (!dialog.open) return;
    dialog.close();
    if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
  }

  function end() {
    ending = true;
    const form = edited && root.contains(edited) ? edited : null;
    if (form && (form.method || "").toLowerCase() === "post") {
      const marker = root.createElement("input");
      marker.type = "hidden";
      marker.name = TIMED_OUT_FIELD;
      marker.value = "1";
      form.appendChild(marker);
      HTMLFormElement.prototype.submit.call(form);
    } else {
      window.location.assign(window.location.href);
    }
  }

  // Before warning, and before ending, check with SafeHub: the session may have been kept
  // alive elsewhere.
  function check(then) {
    if (asking) return;
    asking = true;
    ask(dialog.dataset.statusUrl).then(
      (seconds) => {
        asking = false;
        deadline = Date.now() + seconds * 1000;
        then(seconds * 1000);
      },
      () => {
        asking = false;
        then(deadline - Date.now()); // no answer (offline): go by the page's own count
      },
    );
  }

  function tick() {
    if (ending) return;
    const left = deadline - Date.now();
    if (left <= 0) {
      check((now) => (now <= 0 ? end() : now <= warningMs ? open(now) : close()));
    } else if (left <= warningMs) {
      if (dialog.open) show(left);
      else check((now) => (now <= 0 ? end() : now <= warningMs ? open(now) : undefined));
    }
  }

  function stay() {
    ask(dialog.dataset.extendUrl, {
      method: "POST",
      body: new URLSearchParams({ csrfmiddlewaretoken: csrfToken(extendForm) }),
      headers: { "X-CSRFToken": csrfToken(extendForm) },
    }).then(
      (seconds) => {
        if (seconds <= 0) {
          end();
          return;
        }
        deadline = Date.now() + seconds * 1000;
        close();
      },
      () => close(), // offline: the next check decides
    );
  }

  // The page behind is inert, but Tab past the last button would leave for the browser's
  // own controls: it goes round to the first instead (and Shift+Tab the other way).
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const stops = [...dialog.querySelectorAll("button, [href], input:not([type=hidden])")];
    if (!stops.length) return;
    const first = stops[0];
    const last = stops[stops.length - 1];
    if (event.shiftKey && root.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && root.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });

  extendForm.addEventListener("submit", (event) => {
    event.preventDefault();
    stay();
  });
  // Escape asks for more time too, rather than leaving the warning unanswered.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  root.addEventListener("visibilitychange", tick);
  setInterval(tick, TICK_MS);
  tick();
}
