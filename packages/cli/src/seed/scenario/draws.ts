import { createHash } from "node:crypto";

// Every random choice of the scenario is a pure function of the seed and a label ("person 812,
// name"), not the next value of one long stream: a resumed run can rebuild any record on its own,
// and adding a draw to one record never shifts the draws of all the records after it.

type Label = string | number;

/** Uniform draws for one label, from SHA-256 in counter mode (8 draws per hash). */
export class Stream {
  readonly #prefix: string;
  #block = 0;
  #words: Uint32Array = new Uint32Array(0);
  #next = 0;

  constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** A number in [0, 1). */
  next(): number {
    if (this.#next >= this.#words.length) {
      const digest = createHash("sha256")
        .update(`${this.#prefix}#${this.#block++}`)
        .digest();
      this.#words = new Uint32Array(digest.buffer, digest.byteOffset, 8);
      this.#next = 0;
    }
    return this.#words[this.#next++]! / 2 ** 32;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An index into `weights`, each chosen in proportion to its weight. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let u = this.next() * total;
    for (const [i, w] of weights.entries()) {
      u -= w;
      if (u < 0) return i;
    }
    return weights.length - 1;
  }
}

export class Draws {
  readonly #seed: string;

  constructor(seed: string) {
    this.#seed = seed;
  }

  stream(...label: Label[]): Stream {
    return new Stream(`${this.#seed}\n${label.join("/")}`);
  }

  /** A UUID (version 8: application-defined) made from the label, the same for the same seed. */
  uuid(...label: Label[]): string {
    const h = createHash("sha256")
      .update(`${this.#seed}\nuuid\n${label.join("/")}`)
      .digest("hex");
    const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A stand-in for an uploaded file's SHA-256 (photos): the scenario stores no files. */
  fileRef(...label: Label[]): string {
    return createHash("sha256")
      .update(`${this.#seed}\nfile\n${label.join("/")}`)
      .digest("hex");
  }
}
