import { useSyncExternalStore } from "react";

// A new version of the app, waiting in the service worker. Taking it reloads the page: the
// offline queue is in IndexedDB, which neither the reload nor the new worker touches, so queued
// commands are kept (what is typed in a form and not yet queued is not: hence a prompt, not a
// reload behind the officer's back, once they have started working).

type Apply = () => Promise<void> | void;

let waiting: Apply | undefined;
const listeners = new Set<() => void>();

/** The page was just opened and nobody has typed or clicked yet: taking an update costs nothing. */
let untouched = true;
const STARTUP_MS = 10_000;
if (typeof window !== "undefined") {
  const touched = () => {
    untouched = false;
  };
  for (const event of ["keydown", "pointerdown"])
    window.addEventListener(event, touched, { once: true, capture: true });
}

/**
 * Called by the service worker registration when a new version is installed and waiting. Found
 * while the page is still fresh (the next load after a deployment), it is applied at once; later,
 * it is offered (see `useWaitingUpdate`).
 */
export function offerUpdate(apply: Apply, now = typeof performance === "undefined" ? 0 : performance.now()) {
  if (untouched && now < STARTUP_MS) {
    void apply();
    return;
  }
  waiting = apply;
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The waiting version's "take it now", or undefined when there is none. */
export const useWaitingUpdate = () =>
  useSyncExternalStore(
    subscribe,
    () => waiting,
    () => undefined,
  );

/** For tests: forget the offer and the page's startup state. */
export function resetUpdate(fresh = true) {
  waiting = undefined;
  untouched = fresh;
  for (const listener of listeners) listener();
}
