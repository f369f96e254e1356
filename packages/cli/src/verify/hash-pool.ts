import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { BundleHashes } from "@armsledger/ledger";

interface Pending {
  resolve(hashes: BundleHashes): void;
  reject(error: Error): void;
}

interface Answer {
  id: number;
  leaves?: Uint8Array;
  root?: Uint8Array;
  error?: string;
}

/**
 * Worker threads that hash entry bundles for `verifyLog` (its `hashBundle` option), so a long
 * audit uses every core: SHA-256 calls dominate, one per entry and one per interior node.
 */
export class HashPool {
  readonly #workers: { worker: Worker; load: number }[] = [];
  readonly #pending = new Map<number, Pending & { worker: number }>();
  #next = 0;
  #failure: Error | undefined;

  /** One worker per core by default, at most 8. */
  constructor(size = Math.min(8, availableParallelism())) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(new URL("./hash-worker.ts", import.meta.url));
      worker.on("message", (answer: Answer) => this.#answer(i, answer));
      worker.on("error", (error) => this.#fail(error));
      worker.on("exit", (code) => {
        if (code !== 0) this.#fail(new Error(`a hashing worker stopped (exit code ${code})`));
      });
      this.#workers.push({ worker, load: 0 });
    }
  }

  get size(): number {
    return this.#workers.length;
  }

  /** `verifyLog`'s `hashBundle`: the bundle is copied to the least busy worker. */
  readonly hashBundle = (bundle: Uint8Array, width: number): Promise<BundleHashes> => {
    if (this.#failure) return Promise.reject(this.#failure);
    let best = 0;
    for (let i = 1; i < this.#workers.length; i++)
      if (this.#workers[i]!.load < this.#workers[best]!.load) best = i;
    const slot = this.#workers[best]!;
    const id = this.#next++;
    return new Promise<BundleHashes>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, worker: best });
      slot.load++;
      slot.worker.postMessage({ id, bundle, width });
    });
  };

  #answer(worker: number, answer: Answer): void {
    const pending = this.#pending.get(answer.id);
    if (!pending) return;
    this.#pending.delete(answer.id);
    this.#workers[worker]!.load--;
    if (answer.error !== undefined || !answer.leaves) pending.reject(new Error(answer.error ?? "no hashes"));
    else
      pending.resolve(answer.root ? { leaves: answer.leaves, root: answer.root } : { leaves: answer.leaves });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }

  async close(): Promise<void> {
    this.#failure ??= new Error("the hashing pool is closed");
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }
}
