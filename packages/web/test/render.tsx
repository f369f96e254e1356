import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { App, AppProviders, newQueryClient } from "../src/app/App.tsx";
import type { Settings } from "../src/settings/settings.tsx";

/** The whole app at `path`, routed in memory, with a fresh query cache. */
export function renderAt(path: string, settings: Settings) {
  return render(
    <AppProviders
      client={newQueryClient()}
      settings={settings}
      router={(app) => <MemoryRouter initialEntries={[path]}>{app}</MemoryRouter>}
    >
      <App />
    </AppProviders>,
  );
}
