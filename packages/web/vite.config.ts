import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The app is served by the API server itself (same origin, so the session cookie just works);
// `npm run dev -w @armsledger/web` proxies the API to a running `npm start`.
const api = process.env.ARMSLEDGER_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
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
