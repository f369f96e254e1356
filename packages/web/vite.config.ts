import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// The app is served by the API server itself (same origin, so the session cookie just works);
// `npm run dev -w @armsledger/web` proxies the API to a running `npm start`.
const api = process.env.ARMSLEDGER_API ?? "http://127.0.0.1:8080";

/** Paths the service worker never answers for: the API, the public log, the health check. */
export const notTheApp = [/^\/api\//u, /^\/log\//u, /^\/healthz$/u];

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [
    react(),
    // A service worker (Workbox, generated at build time) so a collection lane reloaded or
    // reopened offline still loads: it precaches the app's own files only (the shell and every
    // lazily loaded screen) and answers navigations with index.html. It caches no API answer:
    // there is no runtime caching at all, so nothing personal ever lands in its cache.
    VitePWA({
      strategies: "generateSW",
      // A new version waits until the officer takes it (or the next fresh load): see src/app/update.ts.
      registerType: "prompt",
      // Registered by src/app/service-worker.ts, not by an inline script (the CSP forbids those).
      injectRegister: false,
      manifest: false,
      scope: "/",
      base: "/",
      workbox: {
        globPatterns: ["**/*.{js,css,html,svg,png,woff2,json}"],
        navigateFallback: "index.html",
        navigateFallbackDenylist: notTheApp,
        cleanupOutdatedCaches: true,
        runtimeCaching: [],
      },
    }),
  ],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // A report of what each chunk weighs is printed by scripts/size.ts instead.
    reportCompressedSize: false,
  },
  server: {
    proxy: { "/api": api, "/log": api, "/healthz": api },
  },
});
