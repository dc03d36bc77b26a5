// The Ting console: sign in, pair speakers, talk to Ting, see history and timers.
// Plain ES modules, no build step; everything it needs is served by the hub itself.

import { api, ApiError, friendly } from "./api.js";
import { MicError, Recorder, playWav } from "./audio.js";

const DEVICE_POLL_MS = 2000;
const $ = (selector) => document.querySelector(selector);

const state = {
  member: null,
  household: null,
  devices: [],
  schedule: [],
  pollTimer: null,
  tickTimer: null,
};

// -- small helpers -------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

let noticeTimer = null;
function notify(message, kind = "error") {
  const notice = $("#notice");
  notice.textContent = message;
  notice.className = `notice ${kind}`;
  notice.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (notice.hidden = true), kind === "error" ? 8000 : 4000);
}

// Run an action; show its error (and go to sign-in when the session is gone).
async function guarded(action) {
  try {
    return await action();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && state.member) {
      signedOut("You were signed out. Sign in again.");
    } else {
      notify(friendly(error));
    }
    return undefined;
  }
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

function countdown(iso) {
  const seconds = Math.round((new Date(iso) - Date.now()) / 1000);
  if (seconds <= 0) return "now";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h ? `in ${h}:${String(m).padStart(2, "0")}:${s}` : `in ${m}:${s}`;
}

// Ask twice before something that cannot be undone (no modal dialogs).
function confirmClick(button, label, action) {
  if (button.dataset.armed) {
    delete button.dataset.armed;
    button.textContent = button.dataset.label;
    return action();
  }
  button.dataset.label = button.textContent;
  button.dataset.armed = "1";
  button.textContent = label;
  setTimeout(() => {
    if (button.dataset.armed) {
      delete button.dataset.armed;
      button.textContent = button.dataset.label;
    }
  }, 4000);
  return undefined;
}

// -- views ---------------------------------------------------------------------------------

// The pairing code from "#pair?code=…" or "?code=…#pair" (RFC 8628 verification_uri_complete).
function pairCode() {
  const [, query = ""] = location.hash.split("?");
  return new URLSearchParams(query).get("code") || new URLSearchParams(location.search).get("code");
}

function show(view) {
  for (const name of ["auth", "pair", "home"]) $(`#view-${name}`).hidden = name !== view;
}

function route() {
  const wantsPair = location.hash.startsWith("#pair");
  if (!state.member) {
    const hint = $("#auth-hint");
    hint.hidden = !wantsPair;
    hint.textContent = "Sign in (or create a household) to pair your speaker.";
    show("auth");
    return;
  }
  if (wantsPair) {
    const code = pairCode();
    if (code) $("#pair-code").value = code.toUpperCase();
    show("pair");
    ($("#pair-code").value ? $("#pair-form [name=name]") : $("#pair-code")).focus();
  } else {
    show("home");
  }
}

function signedIn(member, household) {
  state.member = member;
  state.household = household;
  $("#who").hidden = false;
  $("#member-name").textContent = member.name;
  $("#household-name").textContent = household ? household.name : "";
  route();
  refreshAll();
  clearInterval(state.pollTimer);
  state.pollTimer = setInterval(() => {
    if (!document.hidden) refreshDevices();
  }, DEVICE_POLL_MS);
  clearInterval(state.tickTimer);
  state.tickTimer = setInterval(renderSchedule, 1000);
}

function signedOut(message) {
  state.member = null;
  state.household = null;
  clearInterval(state.pollTimer);
  clearInterval(state.tickTimer);
  $("#who").hidden = true;
  $("#talk-log").replaceChildren();
  route();
  if (message) notify(message);
}

// -- accounts ------------------------------------------------------------------------------

function selectTab(signup) {
  $("#tab-signin").setAttribute("aria-selected", String(!signup));
  $("#tab-signup").setAttribute("aria-selected", String(signup));
  $("#signin-form").hidden = signup;
  $("#signup-form").hidden = !signup;
}

async function onSignIn(event) {
  event.preventDefault();
  const { email, password } = formValues(event.target);
  const done = await guarded(() => api.login(email, password));
  if (!done) return;
  event.target.reset();
  const me = await guarded(() => api.me());
  if (me) signedIn(me.member, me.household);
}

async function onSignUp(event) {
  event.preventDefault();
  const done = await guarded(() => api.signup(formValues(event.target)));
  if (!done) return;
  event.target.reset();
  signedIn(done.member, done.household);
  notify(`Welcome! ${done.household.name} is ready. Pair a speaker to get started.`, "ok");
}

async function onSignOut() {
  await guarded(() => api.logout());
  signedOut();
}

// -- speakers ------------------------------------------------------------------------------

async function onPair(event) {
  event.preventDefault();
  const values = formValues(event.target);
  const fields = { user_code: values.user_code.trim() };
  if (values.name.trim()) fields.name = values.name.trim();
  if (values.room.trim()) fields.room = values.room.trim();
  const device = await guarded(() => api.confirmPairing(fields));
  if (!device) return;
  event.target.reset();
  notify(`Paired “${device.name}”. It connects in a few seconds.`, "ok");
  location.hash = "";
  await refreshDevices();
}

async function onDeny() {
  const code = $("#pair-code").value.trim();
  if (!code) return notify("Enter the code of the speaker to refuse.");
  const done = await guarded(() => api.denyPairing(code));
  if (!done) return;
  $("#pair-form").reset();
  notify("That speaker was refused.", "ok");
  location.hash = "";
}

async function refreshDevices() {
  if (!state.member) return;
  const devices = await guarded(() => api.devices());
  if (!devices) return;
  // Do not redraw under someone editing a speaker.
  if (document.querySelector("#devices form")) return;
  state.devices = devices;
  renderDevices();
}

function renderDevices() {
  const list = $("#devices");
  list.replaceChildren(...state.devices.map(deviceItem));
  $("#devices-empty").hidden = state.devices.length > 0;
}

function deviceItem(device) {
  const remove = el("button", { type: "button", class: "danger quiet" }, "Remove");
  remove.addEventListener("click", () =>
    confirmClick(remove, "Really remove?", async () => {
      const done = await guarded(() => api.removeDevice(device.id));
      if (done) notify(`Removed “${device.name}”.`, "ok");
      await refreshDevices();
    }),
  );
  const item = el(
    "li",
    { class: "device", "data-id": device.id },
    el(
      "div",
      { class: "grow" },
      el("strong", { class: "device-name" }, device.name),
      device.room ? el("span", { class: "muted" }, ` · ${device.room}`) : null,
      el(
        "div",
        { class: "muted small" },
        device.connected ? "Connected" : device.last_seen_at ? `Last seen ${formatTime(device.last_seen_at)}` : "Never connected",
      ),
    ),
    el("span", { class: `state state-${device.state}`, title: "What the speaker is doing" }, device.state),
    el("button", { type: "button", class: "quiet", onclick: () => editDevice(item, device) }, "Edit"),
    remove,
  );
  return item;
}

function editDevice(item, device) {
  const form = el(
    "form",
    { class: "edit-device" },
    el("input", { name: "name", value: device.name, required: true, maxlength: 64, "aria-label": "Name" }),
    el("input", { name: "room", value: device.room || "", placeholder: "room", maxlength: 64, "aria-label": "Room" }),
    el("button", { type: "submit", class: "primary" }, "Save"),
    el("button", { type: "button", class: "quiet", onclick: () => renderDevices() }, "Cancel"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = formValues(form);
    const done = await guarded(() =>
      api.updateDevice(device.id, { name: values.name.trim(), room: values.room.trim() }),
    );
    form.remove();
    if (done) notify(`Saved “${done.name}”.`, "ok");
    await refreshDevices();
  });
  item.replaceChildren(form);
  form.querySelector("input").focus();
}

// -- talking -------------------------------------------------------------------------------

function say(who, text, extra = null) {
  const log = $("#talk-log");
  log.append(el("li", { class: `bubble ${who}` }, el("span", { class: "text" }, text), extra));
  log.scrollTop = log.scrollHeight;
}

async function afterTurn(result, audio) {
  if (result) say("ting", result.reply || "…", result.intent ? el("small", { class: "muted" }, result.intent) : null);
  await Promise.all([refreshSchedule(), refreshHistory()]);
  if (audio) await playWav($("#reply-audio"), audio);
}

async function onAsk(event) {
  event.preventDefault();
  const input = $("#ask-text");
  const text = input.value.trim();
  if (!text) return notify("Type something to ask first.");
  input.value = "";
  say("you", text);
  const button = event.target.querySelector("button");
  button.disabled = true;
  try {
    const done = await guarded(() => api.ask(text));
    if (done) await afterTurn(done.result, done.audio_wav_base64);
  } finally {
    button.disabled = false;
    input.focus();
  }
}

const recorder = new Recorder();
let recording = null; // the start() promise while the button is held
let startedAt = 0;

async function startTalking() {
  if (recording) return;
  const button = $("#talk-button");
  button.classList.add("recording");
  $("#mic-status").textContent = "Listening… release when you are done.";
  startedAt = performance.now();
  recording = recorder.start().catch((error) => {
    recorder.release();
    throw error;
  });
  recording.catch(() => {}); // reported on release
}

async function stopTalking() {
  if (!recording) return;
  const started = recording;
  recording = null;
  const button = $("#talk-button");
  button.classList.remove("recording");
  const status = $("#mic-status");
  try {
    await started;
  } catch (error) {
    status.textContent = error instanceof MicError ? error.message : friendly(error);
    notify(status.textContent);
    return;
  }
  const { wav, seconds } = await recorder.stop();
  if (seconds < 0.4 || performance.now() - startedAt < 400) {
    status.textContent = "Hold the button down while you speak.";
    return;
  }
  status.textContent = "Thinking…";
  button.disabled = true;
  try {
    const done = await guarded(() => api.askAudio(wav));
    if (!done) {
      status.textContent = "Hold the button (or the space bar) while you speak.";
      return;
    }
    if (!done.transcript) {
      status.textContent = "I did not hear anything. Try again, a little closer.";
      return;
    }
    say("you", done.transcript, el("small", { class: "muted" }, "spoken"));
    status.textContent = "Hold the button (or the space bar) while you speak.";
    await afterTurn(done.result || { reply: done.reply }, done.audio_wav_base64);
  } finally {
    button.disabled = false;
  }
}

// -- history and schedule ------------------------------------------------------------------

async function refreshHistory() {
  const entries = await guarded(() => api.history(50));
  if (!entries) return;
  const name = (id) => {
    const device = state.devices.find((d) => d.id === id);
    return device ? device.name : id.startsWith("console-") ? "Console" : "Removed speaker";
  };
  $("#history").replaceChildren(
    ...entries.map((entry) =>
      el(
        "li",
        { class: "entry", lang: entry.language || null },
        el("div", { class: "muted small" }, `${formatTime(entry.at)} · ${name(entry.device_id)}`),
        el("div", { class: "said" }, entry.text),
        el("div", { class: "reply" }, entry.reply),
      ),
    ),
  );
  $("#history-empty").hidden = entries.length > 0;
  $("#clear-history").hidden = entries.length === 0;
}

async function onClearHistory(event) {
  await confirmClick(event.target, "Really delete all?", async () => {
    const done = await guarded(() => api.deleteHistory());
    if (done) notify(`Deleted ${done.deleted} conversation turn(s).`, "ok");
    await refreshHistory();
  });
}

async function refreshSchedule() {
  const items = await guarded(() => api.schedule());
  if (!items) return;
  state.schedule = items;
  renderSchedule();
}

// Inline icons (no icon font, no emoji: they render the same everywhere).
const ICON_PATHS = {
  timer: "M15 1H9v2h6V1zm-4 13h2V8h-2v6zm8-6.6 1.4-1.4-1.4-1.4-1.5 1.5A9 9 0 1 0 21 13a9 9 0 0 0-2-5.6zM12 20a7 7 0 1 1 0-14 7 7 0 0 1 0 14z",
  alarm: "M22 5.7 17.4 1.8l-1.3 1.5 4.6 3.9L22 5.7zM7.9 3.4 6.6 1.9 2 5.7l1.3 1.5 4.6-3.8zM12.5 8H11v6l4.7 2.9.8-1.3-4-2.4V8zM12 4a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm0 16a7 7 0 1 1 0-14 7 7 0 0 1 0 14z",
  reminder: "M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6v-5c0-3.1-1.6-5.6-4.5-6.3V4a1.5 1.5 0 0 0-3 0v.7C7.6 5.4 6 7.9 6 11v5l-2 2v1h16v-1l-2-2z",
};

function icon(kind) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICON_PATHS[kind] || ICON_PATHS.reminder);
  svg.append(path);
  return svg;
}

function renderSchedule() {
  const list = $("#schedule");
  if (!list || !state.member) return;
  list.replaceChildren(
    ...state.schedule.map((item) =>
      el(
        "li",
        { class: `item ${item.kind}`, "data-id": item.id },
        icon(item.kind),
        el(
          "div",
          { class: "grow" },
          el("strong", {}, item.label || item.kind[0].toUpperCase() + item.kind.slice(1)),
          item.recurrence ? el("span", { class: "muted" }, ` · repeats`) : null,
          el("div", { class: "muted small" }, item.due_at ? formatTime(item.due_at) : "paused"),
        ),
        el("span", { class: "when" }, item.due_at ? countdown(item.due_at) : "paused"),
      ),
    ),
  );
  $("#schedule-empty").hidden = state.schedule.length > 0;
}

function refreshAll() {
  refreshDevices().then(refreshHistory);
  refreshSchedule();
}

// -- start ---------------------------------------------------------------------------------

function bind() {
  $("#tab-signin").addEventListener("click", () => selectTab(false));
  $("#tab-signup").addEventListener("click", () => selectTab(true));
  $("#signin-form").addEventListener("submit", onSignIn);
  $("#signup-form").addEventListener("submit", onSignUp);
  $("#sign-out").addEventListener("click", onSignOut);
  $("#pair-form").addEventListener("submit", onPair);
  $("#pair-deny").addEventListener("click", onDeny);
  $("#ask-form").addEventListener("submit", onAsk);
  $("#clear-history").addEventListener("click", onClearHistory);
  window.addEventListener("hashchange", route);

  const talk = $("#talk-button");
  talk.addEventListener("pointerdown", (event) => {
    talk.setPointerCapture(event.pointerId);
    startTalking();
  });
  talk.addEventListener("pointerup", stopTalking);
  talk.addEventListener("pointercancel", stopTalking);
  talk.addEventListener("contextmenu", (event) => event.preventDefault());
  talk.addEventListener("keydown", (event) => {
    if ((event.key === " " || event.key === "Enter") && !event.repeat) {
      event.preventDefault();
      startTalking();
    }
  });
  talk.addEventListener("keyup", (event) => {
    if (event.key === " " || event.key === "Enter") stopTalking();
  });
}

async function main() {
  bind();
  try {
    const me = await api.me();
    signedIn(me.member, me.household);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) notify(friendly(error));
    signedOut();
  }
  document.body.dataset.ready = "1";
}

main();
