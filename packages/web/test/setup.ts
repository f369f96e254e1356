import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// The machine running the suite may be busy (the whole workspace's tests run in parallel): wait
// up to 5 s for what a screen shows, not the default 1 s.
configure({ asyncUtilTimeout: 5000 });

// Each test starts with an empty document and no remembered settings.
afterEach(() => {
  cleanup();
  localStorage.clear();
  document.documentElement.removeAttribute("dir");
  document.documentElement.removeAttribute("lang");
});
