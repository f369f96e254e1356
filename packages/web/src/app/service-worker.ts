import { registerSW } from "virtual:pwa-register";
import { offerUpdate } from "./update.ts";

// Registers the service worker that vite-plugin-pwa generates (Workbox: the app's files
// precached, navigations answered with index.html, no API answer ever cached). Scope "/".

/** How often an open page asks whether a new version was deployed (field laptops stay open for days). */
const CHECK_EVERY_MS = 60 * 60_000;

export function startServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const update = registerSW({
    onNeedRefresh: () => offerUpdate(() => update(true)),
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      setInterval(() => {
        if (navigator.onLine && !registration.installing) registration.update().catch(() => undefined);
      }, CHECK_EVERY_MS);
    },
  });
}
