import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App, AppProviders } from "./app/App.tsx";
import { startServiceWorker } from "./app/service-worker.ts";
import "./styles.css";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <AppProviders>
      <App />
    </AppProviders>
  </StrictMode>,
);

// Not in the dev server (vite-plugin-pwa generates the worker at build time only).
if (import.meta.env.PROD) startServiceWorker();
