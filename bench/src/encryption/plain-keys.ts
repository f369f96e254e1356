import { hashKey } from "@armsledger/core";
import { FieldKeys, PersonalData } from "@armsledger/server";

// The "without encryption" side of the encryption benchmark: the same store, write path,
// projections and queries, with the field cipher replaced by the identity. It lives in bench/
// only: a store gets it through `scratchStore(url, { sharePersonal })`, a programmatic option that
// no configuration, variable or CLI flag can set, so no production entry point can select it.
//
// What "without" means, value by value:
// - encrypt/decrypt (AES-256-GCM + HKDF-derived key, base64url): the plain text itself, so a name
//   is stored as its JSON and a national id as itself;
// - blind indexes (HMAC-SHA256): the value itself (an exact lookup on the plain column);
// - name keys (HMAC-SHA256 truncated to 30 bits): core's unkeyed hashKey, the hash the name
//   matching used before field encryption (CandidateIndex), so the blocks are the same.

class IdentityFieldKeys extends FieldKeys {
  constructor() {
    // The parent wants a data key; none of its methods that use one is reached.
    super({ id: 0, key: new Uint8Array(32) });
  }
  override encrypt(plain: string): string {
    return plain;
  }
  override decrypt(sealed: string): string {
    return sealed;
  }
  override encryptBytes(plain: Uint8Array): Uint8Array<ArrayBuffer> {
    return new Uint8Array(plain);
  }
  override decryptBytes(sealed: Uint8Array): Uint8Array<ArrayBuffer> {
    return new Uint8Array(sealed);
  }
  override blindIndex(_domain: string, value: string): string {
    return value;
  }
  override nameKey(key: string): number {
    return hashKey(key);
  }
  override isPurged(): boolean {
    return false;
  }
}

class PlainPersonalData extends PersonalData {
  readonly #keys = Promise.resolve<FieldKeys>(new IdentityFieldKeys());
  constructor() {
    // No data_keys row is read or made: keys() is answered here.
    super(undefined as never, undefined as never);
  }
  override keys(): Promise<FieldKeys> {
    return this.#keys;
  }
}

/** Personal "keys" that store everything in plain text: for `scratchStore(url, { sharePersonal })`. */
export function plainPersonalData(): PersonalData {
  return new PlainPersonalData();
}
