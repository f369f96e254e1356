import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  lookalikeSerial,
  nearDuplicateSerialKey,
  serialKey,
  serialsNearlyEqual,
} from "../../src/rules/serial.ts";

describe("near-duplicate serials (same make and model)", () => {
  it.each([
    ["1O35-B7", "1035 87"],
    ["AK 47-I2S", "ak47 125"],
    ["Z1-0O", "21 00"],
    ["١٠٣٥", "1O35"],
  ])("%s ~ %s", (a, b) => {
    expect(serialsNearlyEqual(a, b)).toBe(true);
    expect(nearDuplicateSerialKey("Kalashnikov", "AKM", a)).toBe(
      nearDuplicateSerialKey("kalashnikov", "A K M", b),
    );
  });

  it("keeps really different serials and other models apart", () => {
    expect(serialsNearlyEqual("1035", "1036")).toBe(false);
    expect(nearDuplicateSerialKey("Kalashnikov", "AKM", "1035")).not.toBe(
      nearDuplicateSerialKey("Kalashnikov", "AK-74", "1O35"),
    );
  });

  it("a near-duplicate is not an exact duplicate (the exact key still tells them apart)", () => {
    expect(serialKey("K", "AKM", "1O35")).not.toBe(serialKey("K", "AKM", "1035"));
  });

  it("look-alike folding is idempotent and leaves no O, I, L, S, B, Z, Q (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const once = lookalikeSerial(s);
        expect(lookalikeSerial(once)).toBe(once);
        expect(once).not.toMatch(/[OILSBZQ]/u);
      }),
    );
  });
});
