// Stretch prompts in the signed-in dashboard: the server's alert stream, shown as a card on the
// page (Done / Snooze) and, once the wearer allowed it, as a system notification with the same
// two buttons (answered by the service worker).
window.postureSense = {
  isNarrow: () => window.matchMedia("(max-width: 768px)").matches,
};

(() => {
  const box = document.getElementById("alerts");
  const promptRoute = (deviceId, commandId, action) =>
    `/api/devices/${encodeURIComponent(deviceId)}/prompts/${encodeURIComponent(commandId)}/${action}`;

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text; // never innerHTML: the text came over the network
    return node;
  }

  async function answer(alert, action, card) {
    const status = card.querySelector(".alert-status");
    card.querySelectorAll("button").forEach((b) => (b.disabled = true));
    try {
      const response = await fetch(promptRoute(alert.deviceId, alert.commandId, action), { method: "POST", credentials: "include" });
      if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || `HTTP ${response.status}`);
      status.textContent = action === "done" ? "Well done: stretch saved." : "Snoozed: it comes back later.";
      card.dataset.answered = action;
      setTimeout(() => card.remove(), 4000);
    } catch (error) {
      status.textContent = `Could not save that: ${error.message}`;
      card.querySelectorAll("button").forEach((b) => (b.disabled = false));
    }
  }

  function showCard(alert) {
    if (!box) return;
    box.querySelector(`[data-command-id="${CSS.escape(alert.commandId)}"]`)?.remove();
    const card = element("div", { class: "alert-card", role: "alert", "data-testid": "alert", "data-command-id": alert.commandId });
    card.append(element("strong", {}, alert.title || "Time to stretch"));
    card.append(element("p", {}, alert.message || ""));
    if (Array.isArray(alert.steps) && alert.steps.length) {
      const steps = element("ol", { class: "alert-steps" });
      alert.steps.forEach((s) => steps.append(element("li", {}, s)));
      card.append(steps);
    }
    const buttons = element("div", { class: "alert-buttons" });
    const done = element("button", { type: "button", class: "rz-button rz-button-md rz-variant-filled rz-success", "data-testid": "alert-done" }, "Done");
    const snooze = element("button", { type: "button", class: "rz-button rz-button-md rz-variant-outlined rz-base", "data-testid": "alert-snooze" }, "Snooze");
    done.addEventListener("click", () => answer(alert, "done", card));
    snooze.addEventListener("click", () => answer(alert, "snooze", card));
    buttons.append(done, snooze);
    card.append(buttons, element("p", { class: "alert-status" }));
    box.prepend(card);
  }

  async function notify(alert) {
    if (!("Notification" in window) || Notification.permission !== "granted" || !("serviceWorker" in navigator)) return;
    try {
      const registration = await navigator.serviceWorker.ready;
      await registration.showNotification(alert.title || "Time to stretch", {
        body: alert.message,
        tag: alert.commandId,
        data: { deviceId: alert.deviceId, commandId: alert.commandId },
        actions: [{ action: "done", title: "Done" }, { action: "snooze", title: "Snooze" }],
      });
    } catch (error) {
      console.warn("notification not shown:", error);
    }
  }

  function updateButton() {
    const supported = "Notification" in window;
    document.querySelectorAll('[data-testid="enable-notifications"]').forEach((button) => {
      button.title = !supported ? "This browser has no notifications" : `Notifications: ${Notification.permission}`;
      button.dataset.permission = supported ? Notification.permission : "unsupported";
    });
  }

  // The button lives in the interactive layout, which may re-render it: listen on the document.
  document.addEventListener("click", async (event) => {
    if (!event.target.closest('[data-testid="enable-notifications"]')) return;
    if (!("Notification" in window)) return;
    await Notification.requestPermission();
    updateButton();
  });
  setTimeout(updateButton, 1000);

  const stream = new EventSource("/api/alerts/stream", { withCredentials: true });
  stream.addEventListener("prompt", (event) => {
    let alert;
    try { alert = JSON.parse(event.data); } catch { return; }
    if (!alert || !alert.deviceId || !alert.commandId) return;
    showCard(alert);
    notify(alert);
  });
})();
