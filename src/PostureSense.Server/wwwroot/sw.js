// PostureSense service worker: makes the dashboard installable and answers the buttons of a
// stretch prompt's system notification, even when no dashboard tab is open.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

const promptRoute = (deviceId, commandId, action) =>
  `/api/devices/${encodeURIComponent(deviceId)}/prompts/${encodeURIComponent(commandId)}/${action}`;

self.addEventListener("notificationclick", (event) => {
  const notification = event.notification;
  const { deviceId, commandId } = notification.data || {};
  notification.close();
  if (!deviceId || !commandId) return;
  if (event.action === "done" || event.action === "snooze") {
    event.waitUntil(fetch(promptRoute(deviceId, commandId, event.action), { method: "POST", credentials: "include" }));
    return;
  }
  // A click on the notification itself: the day, where the prompt is listed.
  event.waitUntil(openPage(`/devices/${encodeURIComponent(deviceId)}/today`));
});

async function openPage(path) {
  const url = new URL(path, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin === self.location.origin && "focus" in client) {
      await client.focus();
      return client.navigate ? client.navigate(url) : undefined;
    }
  }
  return self.clients.openWindow(url);
}
