import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { armor } from "age-encryption";
import { describe, expect, it } from "vitest";
import { checkExportPassphrase, MIN_EXPORT_PASSPHRASE } from "../src/access/export-passphrase.ts";
import {
  encryptStreamWithPassphrase,
  encryptWithPassphrase,
  findDecryptedWithPassphrase,
  isAgeFile,
  setExportScryptWorkFactorForTests,
} from "../src/crypto/export-file.ts";

const passphrase = "umbrella quarry saddle nineteen lantern";
const plain = new TextEncoder().encode("person_id,given_latin\nP1,Zainab\n");

describe("encrypted exports (age, passphrase)", () => {
  it("makes a standard age file with the age tool's scrypt work factor", { timeout: 120_000 }, async () => {
    // The default factor, whatever another test file in this worker set.
    setExportScryptWorkFactorForTests();
    const file = await encryptWithPassphrase(plain, passphrase);
    expect(isAgeFile(file)).toBe(true);
    // The header names the recipient type and its work factor, as `age -p` writes it.
    const header = Buffer.from(file).toString("latin1").split("\n");
    expect(header[0]).toBe("age-encryption.org/v1");
    expect(header[1]).toMatch(/^-> scrypt [A-Za-z0-9+/]{22} 18$/u);
    expect(await findDecryptedWithPassphrase(file, passphrase)).toEqual(plain);
  });

  it("opens only with the passphrase, and refuses an altered file", async () => {
    // A cheaper scrypt from here on: the same format, the factor written in the file.
    setExportScryptWorkFactorForTests(10);
    const file = await encryptWithPassphrase(plain, passphrase);
    expect(Buffer.from(file).toString("latin1").split("\n")[1]).toMatch(/ 10$/u);
    expect(Buffer.from(file).includes("Zainab")).toBe(false);
    expect(await findDecryptedWithPassphrase(file, passphrase)).toEqual(plain);
    expect(await findDecryptedWithPassphrase(file, `${passphrase}!`)).toBeUndefined();
    const altered = Uint8Array.from(file);
    altered[altered.length - 1]! ^= 1;
    expect(await findDecryptedWithPassphrase(altered, passphrase)).toBeUndefined();
    await expect(findDecryptedWithPassphrase(plain, passphrase)).rejects.toThrow(/not an age-encrypted file/);
    // The same file in ASCII armor (what `age -a` writes) opens too.
    const armored = new TextEncoder().encode(`\n${armor.encode(file)}`);
    expect(isAgeFile(armored)).toBe(true);
    expect(await findDecryptedWithPassphrase(armored, passphrase)).toEqual(plain);
  });

  it("encrypts a stream larger than one chunk the same way", async () => {
    const big = Buffer.alloc(200_000, "Zainab Hassan,");
    const encrypted = await buffer(
      await encryptStreamWithPassphrase(
        Readable.from([big.subarray(0, 70_000), big.subarray(70_000)]),
        passphrase,
      ),
    );
    expect(encrypted.includes("Zainab")).toBe(false);
    expect(Buffer.from((await findDecryptedWithPassphrase(encrypted, passphrase))!)).toEqual(big);
  });
});

describe("an export's passphrase", () => {
  it.each([
    [undefined, /missing/],
    ["", /missing/],
    ["a".repeat(MIN_EXPORT_PASSPHRASE - 1), /too short/],
    ["x".repeat(201), /too long/],
    ["passwordpassword", /too easy to guess/],
    ["hq-exportshq-exports", /too easy to guess/],
  ])("refuses %j", (given, message) => {
    expect(() => checkExportPassphrase(given, ["hq-exports"])).toThrow(message);
  });

  it("accepts a phrase of unrelated words, in any script", () => {
    expect(checkExportPassphrase(passphrase)).toBe(passphrase);
    expect(checkExportPassphrase("قلم شجرة نافذة بحر جبل")).toBe("قلم شجرة نافذة بحر جبل");
  });
});
