// Drafts that are never lost.
//
// A textarea marked with data-draft-key (case notes, visit notes) keeps what the worker
// types. After each pause in typing (about a second) the text is sent to SafeHub's draft
// endpoint; until SafeHub confirms it, a copy is also kept in this browser's localStorage,
// so a dropped connection or a closed tab loses nothing. When the form opens again, the
// server's draft is already in the box (the page puts it there); a local copy SafeHub never
// received is newer, so it replaces it, and the page says "Draft restored".
//
// Case notes are sensitive, so the local copy is kept only while SafeHub does not have the
// text: it is removed as soon as a save succeeds, after 72 hours at most, and when the worker
// signs out (after one last attempt to send it). Keys carry the user and the child, so one
// worker's text is never put in front of another.
//
// Radios marked the same way (a neglect profile's grades) keep the choice, sent at once.
//
// Without JavaScript the forms work as ordinary forms; this only adds the saving.

const PREFIX = "safehub:draft:";
const PAUSE_MS = 1000;
const KEEP_MS = 72 * 60 * 60 * 1000;
const SIGN_OUT_WAIT_MS = 2000;

function openStorage() {
  try {
    const store = window.localStorage;
    store.getItem(PREFIX);
    return store;
  } catch {
    return null; // blocked by the browser's settings: the server copy still works
  }
}

function read(store, key) {
  try {
    const entry = JSON.parse(store.getItem(PREFIX + key));
    return entry && typeof entry.text === "string" ? entry : null;
  } catch {
    return null;
  }
}

function write(store, key, entry) {
  try {
    store.setItem(PREFIX + key, JSON.stringify(entry));
  } catch {
    // Storage full or blocked: the server copy still works.
  }
}

function remove(store, key) {
  try {
    store.removeItem(PREFIX + key);
  } catch {
    // Nothing to do.
  }
}

function storedKeys(store) {
  const found = [];
  for (let i = 0; i < store.length; i += 1) {
    const name = store.key(i);
    if (name && name.startsWith(PREFIX)) found.push(name.slice(PREFIX.length));
  }
  return found;
}

function csrfToken(root) {
  const input = root.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString("en-GB", { hour: "numeric", minute: "2-digit" });
}

// Send one draft. Resolves only when SafeHub says it saved it; a redirect (for example to
// the sign-in page after the session ended) counts as a failure.
function send(url, token, kind, text, keepalive = false) {
  return fetch(url, {
    method: "POST",
    body: new URLSearchParams({ csrfmiddlewaretoken: token, kind, text }),
    headers: { "X-CSRFToken": token, Accept: "application/json" },
    credentials: "same-origin",
    redirect: "manual",
    keepalive,
  })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((data) => (data && data.saved ? data : Promise.reject(new Error("not saved"))));
}

// Send every local copy this user still has, and forget each one SafeHub accepts.
function flush(store, user, token, skip = new Set()) {
  const pending = storedKeys(store)
    .filter((key) => key.startsWith(`${user}:`) && !skip.has(key))
    .map((key) => {
      const entry = read(store, key);
      if (!entry || !entry.url) {
        remove(store, key);
        return Promise.resolve();
      }
      return send(entry.url, token, entry.kind, entry.text, true).then(() => {
        const now = read(store, key);
        if (now && now.text === entry.text) remove(store, key);
      }, () => {});
    });
  return Promise.all(pending);
}

function forgetExpired(store) {
  const now = Date.now();
  for (const key of storedKeys(store)) {
    const entry = read(store, key);
    if (!entry || !(now - entry.at < KEEP_MS)) remove(store, key);
  }
}

function setUpTextarea(textarea, store) {
  const { draftKey: key, draftUrl: url, draftKind: kind } = textarea.dataset;
  const form = textarea.form;
  if (!key || !url || !kind || !form) return;
  const status = document.getElementById(textarea.dataset.draftStatus);
  let timer = null;
  let sending = false;
  let submitted = false;
  let lastMessage = "";
  let restored = ""; // kept in view until the worker types again

  const say = (message) => {
    // A status region is read out when it changes, so it changes only when the state does.
    const text = [restored, message].filter(Boolean).join(" ");
    if (status && text !== lastMessage) {
      status.textContent = text;
      lastMessage = text;
    }
  };

  const save = () => {
    timer = null;
    if (submitted) return;
    if (sending) {
      schedule(PAUSE_MS);
      return;
    }
    const text = textarea.value;
    sending = true;
    send(url, csrfToken(form), kind, text).then(
      () => {
        sending = false;
        const entry = store && read(store, key);
        if (entry && entry.text === text) remove(store, key);
        if (!submitted) say("Draft saved. It is saved again each time you stop typing.");
      },
      () => {
        sending = false;
        if (!submitted) {
          say("SafeHub could not save your draft just now. It is kept on this device and "
            + "will be saved when the connection is back.");
        }
      },
    );
  };

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(save, ms);
  }

  const local = store && read(store, key);
  if (local && local.text.trim() && local.text !== textarea.value) {
    textarea.value = local.text;
    restored = `Draft restored: the text you were writing on this device at ${clock(local.at)} `
      + "is back in the box above.";
    say("");
    schedule(0);
  } else if (local) {
    remove(store, key); // the page already shows this text
  }
  if (status && !status.textContent.trim()) {
    status.textContent = "Your text is saved as a draft as you type.";
  }

  textarea.addEventListener("input", () => {
    if (submitted) return;
    restored = "";
    if (store) write(store, key, { text: textarea.value, url, kind, at: Date.now() });
    schedule(PAUSE_MS);
  });
  form.addEventListener("submit", () => {
    // The form carries the text now; a late autosave must not recreate the draft that a
    // successful save deletes. The local copy stays until the next page confirms the save.
    submitted = true;
    clearTimeout(timer);
  });
  window.addEventListener("online", () => {
    if (store && read(store, key)) schedule(0);
  });
  window.addEventListener("pagehide", () => {
    if (timer !== null && !submitted) {
      clearTimeout(timer);
      send(url, csrfToken(form), kind, textarea.value, true).catch(() => {});
    }
  });
}

// A group of radios marked with data-draft-key (a neglect profile item's grade) keeps the
// choice the same way, sent as soon as it is made: the value of the radio chosen.
function setUpRadios(radios, store) {
  const first = radios[0];
  const { draftKey: key, draftUrl: url, draftKind: kind } = first.dataset;
  const form = first.form;
  if (!key || !url || !kind || !form) return;
  let submitted = false;

  const save = (value) => {
    if (submitted) return;
    send(url, csrfToken(form), kind, value).then(() => {
      const entry = store && read(store, key);
      if (entry && entry.text === value) remove(store, key);
    }, () => {}); // kept on this device until the connection is back
  };

  const local = store && read(store, key);
  const chosen = radios.find((radio) => radio.checked);
  if (local && local.text && (!chosen || chosen.value !== local.text)) {
    const radio = radios.find((r) => r.value === local.text);
    if (radio) {
      radio.checked = true;
      save(local.text);
    }
  } else if (local) {
    remove(store, key);
  }
  for (const radio of radios) {
    radio.addEventListener("change", () => {
      if (!radio.checked) return;
      if (store) write(store, key, { text: radio.value, url, kind, at: Date.now() });
      save(radio.value);
    });
  }
  form.addEventListener("submit", () => {
    submitted = true;
  });
  window.addEventListener("online", () => {
    const entry = store && read(store, key);
    if (entry) save(entry.text);
  });
}

function radioGroups(root) {
  const groups = new Map();
  for (const radio of root.querySelectorAll("input[type=radio][data-draft-key]")) {
    const key = radio.dataset.draftKey;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(radio);
  }
  return [...groups.values()];
}

// Signing out clears every local copy, after giving this user's a last chance to reach
// SafeHub (when the page knows who is signed in).
function hookSignOut(store, user) {
  for (const form of document.querySelectorAll("form")) {
    const action = new URL(form.getAttribute("action") || "", window.location.href);
    if (!/\/sign-out\/?$/.test(action.pathname)) continue;
    form.addEventListener("submit", (event) => {
      const keys = storedKeys(store);
      if (!keys.length) return;
      event.preventDefault();
      const attempt = user ? flush(store, user, csrfToken(form)) : Promise.resolve();
      const limit = new Promise((resolve) => { setTimeout(resolve, SIGN_OUT_WAIT_MS); });
      Promise.race([attempt, limit]).then(() => {
        for (const key of storedKeys(store)) remove(store, key);
        form.submit();
      });
    });
  }
}

export function initDrafts(root = document) {
  const store = openStorage();
  const textareas = root.querySelectorAll("textarea[data-draft-key]");
  const groups = radioGroups(root);
  if (!store) {
    for (const textarea of textareas) setUpTextarea(textarea, null);
    for (const radios of groups) setUpRadios(radios, null);
    return;
  }
  forgetExpired(store);
  // The page after a successful save names the drafts it saved: their local copies go.
  for (const holder of root.querySelectorAll("[data-draft-saved]")) {
    for (const key of holder.dataset.draftSaved.split(/\s+/)) if (key) remove(store, key);
  }
  const userHolder = root.querySelector("[data-draft-user]");
  const user = userHolder ? userHolder.dataset.draftUser : "";
  for (const textarea of textareas) setUpTextarea(textarea, store);
  for (const radios of groups) setUpRadios(radios, store);
  // Text typed while offline, in a tab since closed, goes to SafeHub the next time any
  // casework page is open (a form open on this page sends its own).
  const token = csrfToken(root);
  if (user && token) {
    const own = [...textareas].map((t) => t.dataset.draftKey);
    own.push(...groups.map((radios) => radios[0].dataset.draftKey));
    flush(store, user, token, new Set(own));
  }
  hookSignOut(store, user);
}
