/**
 * The SHA-256 (hex) of a file or its bytes, as the API names stored files (core's `fileRef`).
 * Web Crypto, not hand-made.
 */
export async function sha256Hex(file: Blob | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = file instanceof Blob ? await file.arrayBuffer() : file;
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
