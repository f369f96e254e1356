// Files of personal data leave the server encrypted with a passphrase, in the age format
// (age-encryption.org/v1, passphrase stanza = scrypt), by the `age-encryption` library, so the
// recipient can open them with `armsledger decrypt` or the standard `age -d` tool alike.
import { Readable } from "node:stream";
import { armor, Decrypter, Encrypter } from "age-encryption";

/** The first bytes of every binary age file. */
const AGE_MAGIC = "age-encryption.org/v1\n";
/** The first line of an age file in ASCII armor (`age -a`). */
const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";

const startsWith = (bytes: Uint8Array, text: string) =>
  Buffer.from(bytes.subarray(0, text.length)).toString("latin1") === text;

/** An armored file's bytes as the binary file, or the bytes themselves. */
function binary(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString("latin1").trimStart();
  return text.startsWith(ARMOR_BEGIN) ? armor.decode(text) : bytes;
}

/** scrypt's work factor (log2 N): 18, the age tool's default, about a second per file. */
const DEFAULT_WORK_FACTOR = 18;
let workFactor = DEFAULT_WORK_FACTOR;

/**
 * For tests only: a cheaper scrypt, so that suites making many files on a busy machine stay fast
 * (none: the default again). The files are the same age files (the factor is written in them);
 * production never calls this.
 */
export function setExportScryptWorkFactorForTests(logN: number = DEFAULT_WORK_FACTOR): void {
  workFactor = logN;
}

function encrypter(passphrase: string): Encrypter {
  const e = new Encrypter();
  e.setPassphrase(passphrase);
  e.setScryptWorkFactor(workFactor);
  return e;
}

/** The file encrypted under the passphrase. */
export async function encryptWithPassphrase(plain: Uint8Array, passphrase: string): Promise<Uint8Array> {
  return encrypter(passphrase).encrypt(plain);
}

/** Is this an age file, binary or armored (what we write is binary)? */
export function isAgeFile(bytes: Uint8Array): boolean {
  return (
    startsWith(bytes, AGE_MAGIC) ||
    Buffer.from(bytes.subarray(0, 200)).toString("latin1").trimStart().startsWith(ARMOR_BEGIN)
  );
}

/**
 * The plain file, or undefined when the passphrase does not open it (wrong passphrase, or a
 * file altered on the way: age authenticates every chunk). Throws when the file is no age file.
 */
export async function findDecryptedWithPassphrase(
  encrypted: Uint8Array,
  passphrase: string,
): Promise<Uint8Array | undefined> {
  if (!isAgeFile(encrypted)) throw new Error("this is not an age-encrypted file");
  const decrypter = new Decrypter();
  decrypter.addPassphrase(passphrase);
  try {
    return await decrypter.decrypt(binary(encrypted));
  } catch {
    return undefined;
  }
}

/**
 * A stream of the file encrypted under the passphrase, as the plain stream is read: a large
 * export is encrypted chunk by chunk (age's 64 KiB STREAM chunks) and never held whole.
 */
export async function encryptStreamWithPassphrase(plain: Readable, passphrase: string): Promise<Readable> {
  const encrypted = await encrypter(passphrase).encrypt(Readable.toWeb(plain) as ReadableStream<Uint8Array>);
  return Readable.fromWeb(encrypted as import("node:stream/web").ReadableStream<Uint8Array>);
}
