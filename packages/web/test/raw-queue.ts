/**
 * Everything the lane's queue holds in IndexedDB, as text (what a disk reader would find): run in
 * jsdom by the tests and in Chromium by the e2e spec (page.evaluate), so it names nothing outside.
 */
export function rawQueueText(): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const open = indexedDB.open("armsledger-queue");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const all = open.result.transaction("commands").objectStore("commands").getAll();
      all.onerror = () => reject(all.error);
      all.onsuccess = () => {
        const text = (v: unknown): string =>
          v instanceof ArrayBuffer || ArrayBuffer.isView(v)
            ? new TextDecoder().decode(v as ArrayBuffer)
            : v && typeof v === "object"
              ? Object.values(v).map(text).join("|")
              : String(v);
        open.result.close();
        resolve(all.result.map(text).join("\n"));
      };
    };
  });
}
