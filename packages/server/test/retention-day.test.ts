import { isProblem } from "@armsledger/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { retentionDay } from "../src/retention/due.ts";

// The day a retention report or run is worked out for (`asOf`, `--as-of`): fed by users.

const refusal = (value: string) => {
  try {
    retentionDay(value);
  } catch (error) {
    return isProblem(error) ? error.code : "thrown";
  }
  return undefined;
};

describe("the day a retention report is for", () => {
  it("takes any real day written YYYY-MM-DD as it is", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2999-12-31"), noInvalidDate: true }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          expect(retentionDay(day)).toBe(day);
        },
      ),
    );
  });

  it("refuses anything else with request.invalid, never a server error", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "grapheme" }),
          fc.constantFrom(
            "2026-02-30",
            "2026-13-01",
            "2026-1-1",
            "26-01-01",
            " 2026-01-01",
            "2026-01-01T00:00Z",
            "0000-01-01",
            "1899-12-31",
          ),
        ),
        (value) => {
          const valid =
            /^\d{4}-\d{2}-\d{2}$/u.test(value) &&
            !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
            new Date(`${value}T00:00:00Z`).toISOString().startsWith(value) &&
            value >= "1900-01-01";
          if (!valid) expect(refusal(value)).toBe("request.invalid");
        },
      ),
    );
  });

  it("is today (UTC) when not given", () => {
    expect(retentionDay(undefined)).toBe(new Date().toISOString().slice(0, 10));
  });
});
