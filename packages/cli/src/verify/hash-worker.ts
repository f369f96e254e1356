// A worker thread of HashPool: hashes entry bundles (leaf hashes and the level-1 hash above a
// full bundle) with node:crypto and sends the hashes back, transferring their buffers.
import { hash } from "node:crypto";
import { parentPort } from "node:worker_threads";
// Only the hashing module: a worker starts faster without the rest of the verifier.
import { hashEntryBundle, type Sha256 } from "@armsledger/ledger";

interface Job {
  id: number;
  bundle: Uint8Array;
  width: number;
}

const sha256: Sha256 = (data) => hash("sha256", data, "buffer");
const port = parentPort;
if (!port) throw new Error("hash-worker.ts runs as a worker thread");

port.on("message", (job: Job) => {
  try {
    const { leaves, root } = hashEntryBundle(job.bundle, job.width, sha256);
    const transfer = [leaves.buffer as ArrayBuffer, ...(root ? [root.buffer as ArrayBuffer] : [])];
    port.postMessage({ id: job.id, leaves, root }, transfer);
  } catch (error) {
    port.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
