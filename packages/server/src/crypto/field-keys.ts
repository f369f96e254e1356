// Field encryption of personal data: AES-256-GCM (node:crypto) under keys derived by HKDF from a
// data key. A ciphertext is self-describing, `v1:<keyId>:<base64url(iv | ciphertext | tag)>`, and
// bound by its associated data to its table, column and row, so it cannot be moved elsewhere.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from "node:crypto";

/** Where a value lives: the associated data every ciphertext is bound to. */
export interface FieldPlace {
  table: string;
  column: string;
  /** The row's key (a person's id, an event's seq…), where the row has one when written. */
  row?: string | number | undefined;
}

/** What reads answer in place of a value whose key was destroyed (a purge). */
export const PURGED = "[purged]";

export class FieldDecryptionError extends Error {
  constructor(place: FieldPlace, why: string) {
    super(
      `cannot decrypt ${place.table}.${place.column}${place.row === undefined ? "" : ` of ${place.row}`}: ${why}`,
    );
    this.name = "FieldDecryptionError";
  }
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BYTES_MAGIC = Buffer.from(`${VERSION}:`);

function derive(dataKey: Uint8Array, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), `armsledger/${purpose}/v1`, 32));
}

function aad(place: FieldPlace): Buffer {
  return Buffer.from(`${place.table}\n${place.column}\n${place.row ?? ""}`);
}

export function isCiphertext(value: string): boolean {
  return value.startsWith(`${VERSION}:`);
}

/** The keys one data key gives: field encryption, the blind index, the name keys. */
class DerivedKeys {
  readonly field: Buffer;
  readonly blind: Buffer;
  /**
   * A KeyObject, not a Buffer: createHmac with a raw key sets the key up on every call (about 7 times
   * slower), and a duplicate check hashes some fifty name keys, a registry's re-index millions.
   */
  readonly names: KeyObject;
  constructor(dataKey: Uint8Array) {
    this.field = derive(dataKey, "field-encryption");
    this.blind = derive(dataKey, "blind-index");
    this.names = createSecretKey(derive(dataKey, "name-keys"));
  }
}

/**
 * The usable keys of a database: the active data key (new ciphertexts, blind indexes, name keys)
 * and any older ones still alive (old ciphertexts). Ids of destroyed keys read as purged.
 */
export class FieldKeys {
  readonly activeId: number;
  readonly #keys: Map<number, DerivedKeys>;
  readonly #destroyed: Set<number>;

  constructor(
    active: { id: number; key: Uint8Array },
    others: { id: number; key: Uint8Array }[] = [],
    destroyed: number[] = [],
  ) {
    this.activeId = active.id;
    this.#keys = new Map([
      [active.id, new DerivedKeys(active.key)],
      ...others.map((o) => [o.id, new DerivedKeys(o.key)] as const),
    ]);
    this.#destroyed = new Set(destroyed);
  }

  get #active(): DerivedKeys {
    return this.#keys.get(this.activeId)!;
  }

  encrypt(plain: string, place: FieldPlace): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#active.field, iv);
    cipher.setAAD(aad(place));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `${VERSION}:${this.activeId}:${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url")}`;
  }

  /** The plain text, or PURGED when the value's data key was destroyed. Throws when it was altered or moved. */
  decrypt(sealed: string, place: FieldPlace): string {
    const parts = sealed.split(":");
    if (parts.length !== 3 || parts[0] !== VERSION || !/^\d+$/.test(parts[1]!))
      throw new FieldDecryptionError(place, "not a v1 ciphertext");
    const keyId = Number(parts[1]);
    if (this.#destroyed.has(keyId)) return PURGED;
    const keys = this.#keys.get(keyId);
    if (!keys) throw new FieldDecryptionError(place, `data key ${keyId} is unknown`);
    const bytes = Buffer.from(parts[2]!, "base64url");
    if (bytes.length < IV_BYTES + TAG_BYTES)
      throw new FieldDecryptionError(place, "the ciphertext is truncated");
    const decipher = createDecipheriv("aes-256-gcm", keys.field, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(aad(place));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new FieldDecryptionError(place, "it was altered, or moved from another field or row");
    }
  }

  /**
   * Bytes (a photo, a key) sealed the same way, as bytes: the ASCII "v1:", the data key's id
   * (4 bytes, big-endian), then iv | ciphertext | tag. A bytea column then costs 35 bytes more,
   * not a third more as base64 text would.
   */
  encryptBytes(plain: Uint8Array, place: FieldPlace): Uint8Array<ArrayBuffer> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#active.field, iv);
    cipher.setAAD(aad(place));
    const head = Buffer.alloc(BYTES_MAGIC.length + 4);
    BYTES_MAGIC.copy(head);
    head.writeUInt32BE(this.activeId, BYTES_MAGIC.length);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return new Uint8Array(Buffer.concat([head, iv, body, cipher.getAuthTag()]));
  }

  /** The bytes, or undefined when their data key was destroyed. Throws when altered or moved. */
  decryptBytes(sealed: Uint8Array, place: FieldPlace): Uint8Array<ArrayBuffer> | undefined {
    const bytes = Buffer.from(sealed);
    const start = BYTES_MAGIC.length + 4 + IV_BYTES;
    if (bytes.length < start + TAG_BYTES || !bytes.subarray(0, BYTES_MAGIC.length).equals(BYTES_MAGIC))
      throw new FieldDecryptionError(place, "not v1 sealed bytes");
    const keyId = bytes.readUInt32BE(BYTES_MAGIC.length);
    if (this.#destroyed.has(keyId)) return undefined;
    const keys = this.#keys.get(keyId);
    if (!keys) throw new FieldDecryptionError(place, `data key ${keyId} is unknown`);
    const decipher = createDecipheriv("aes-256-gcm", keys.field, bytes.subarray(start - IV_BYTES, start));
    decipher.setAAD(aad(place));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return new Uint8Array(
        Buffer.concat([decipher.update(bytes.subarray(start, bytes.length - TAG_BYTES)), decipher.final()]),
      );
    } catch {
      throw new FieldDecryptionError(place, "it was altered, or moved from another field or row");
    }
  }

  encryptNullable(plain: string | null | undefined, place: FieldPlace): string | null {
    return plain === null || plain === undefined ? null : this.encrypt(plain, place);
  }

  decryptNullable(sealed: string | null, place: FieldPlace): string | null {
    return sealed === null ? null : this.decrypt(sealed, place);
  }

  encryptJson(value: unknown, place: FieldPlace): string {
    return this.encrypt(JSON.stringify(value), place);
  }

  /** JSON back, or undefined when purged. */
  decryptJson<T>(sealed: string, place: FieldPlace): T | undefined {
    const plain = this.decrypt(sealed, place);
    return plain === PURGED ? undefined : (JSON.parse(plain) as T);
  }

  /**
   * A keyed blind index (HMAC-SHA256 under the blind-index key) of `value` in `domain` (e.g.
   * "national-id"): equal values give equal indexes, and without the key nothing can be guessed.
   */
  blindIndex(domain: string, value: string): string {
    return createHmac("sha256", this.#active.blind).update(`${domain}\n${value}`).digest("base64url");
  }

  /**
   * A name key (a blocking key, a word skeleton) as a keyed integer: HMAC-SHA256 under the
   * name-key key, truncated to the 30 bits the unkeyed hash gives (core's CandidateIndex).
   */
  nameKey(key: string): number {
    return createHmac("sha256", this.#active.names).update(key).digest().readUInt32BE(0) & 0x3fffffff;
  }

  /** Is the key this ciphertext was made under destroyed (its value purged)? */
  isPurged(sealed: string): boolean {
    const id = Number(sealed.split(":")[1]);
    return this.#destroyed.has(id);
  }
}
