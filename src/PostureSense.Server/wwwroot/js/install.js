// Every page registers the service worker, so the dashboard can be installed and notifications answered.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error) => console.warn("service worker not registered:", error));
}
