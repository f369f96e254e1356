import { Problem } from "@armsledger/core";

export interface LoginThrottleOptions {
  /** Failed sign-ins allowed for one account within `windowMs` before it is locked. */
  maxFailures: number;
  windowMs: number;
  /** How long a locked account refuses every sign-in, right or wrong. */
  lockMs: number;
  /** Accounts tracked at once; the oldest entries go first, so random names cannot fill memory. */
  capacity: number;
  now: () => number;
}

const DEFAULTS: LoginThrottleOptions = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  capacity: 10_000,
  now: Date.now,
};

interface Entry {
  failures: number[];
  lockedUntil: number;
}

/**
 * Locks an account after repeated failed sign-ins, whoever sends them: password guessing spread
 * over many addresses still hits one account. Kept in the server's memory (one server per
 * programme); a restart clears it, which an attacker cannot cause from outside. The per-address
 * limit is @fastify/rate-limit's job (http/security.ts).
 */
export class LoginThrottle {
  readonly #options: LoginThrottleOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Throws auth.locked while the account is locked. */
  check(username: string): void {
    const entry = this.#entries.get(key(username));
    const now = this.#options.now();
    if (entry && entry.lockedUntil > now)
      throw new Problem(
        "auth.locked",
        "This account is locked for a while after too many wrong passwords or codes. Wait, then try again, or ask an administrator.",
        [],
        (entry.lockedUntil - now) / 1000,
      );
  }

  /** Records a failed sign-in; answers true when this failure locked the account. */
  failed(username: string): boolean {
    const k = key(username);
    const now = this.#options.now();
    const entry = this.#entries.get(k) ?? { failures: [], lockedUntil: 0 };
    entry.failures = [...entry.failures.filter((t) => t > now - this.#options.windowMs), now];
    const locks = entry.failures.length >= this.#options.maxFailures;
    if (locks) {
      entry.lockedUntil = now + this.#options.lockMs;
      entry.failures = [];
    }
    this.#entries.delete(k);
    this.#entries.set(k, entry);
    if (this.#entries.size > this.#options.capacity) this.#evict(now);
    return locks;
  }

  // The oldest entry that is not locked goes first, so a flood of made-up names cannot unlock
  // an account under attack; only when every entry is locked does the oldest lock go.
  #evict(now: number): void {
    for (const [k, entry] of this.#entries)
      if (entry.lockedUntil <= now) {
        this.#entries.delete(k);
        return;
      }
    const oldest = this.#entries.keys().next().value;
    if (oldest !== undefined) this.#entries.delete(oldest);
  }

  succeeded(username: string): void {
    this.#entries.delete(key(username));
  }
}

const key = (username: string) => username.trim().toLowerCase();
