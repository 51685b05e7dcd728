// Registers the service worker (/sw.js, whole-site scope) that keeps the app's static files on the device.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => { navigator.serviceWorker.register("/sw.js", { scope: "/" }); });
}
