import { hkdfSync, randomUUID } from "node:crypto";
import { randomSalt } from "./index.ts";

// What the write path draws that no client may choose: the id of each new weapon and lot, the
// salt of each personal part's commitment (it hides the personal data in the public leaf, so it
// must be unguessable), a stock check's sample seed. Live, these are always cryptographically
// random. The one other source makes them a pure function of a seed and the command id, so that
// a generated scenario gives the same ledger root on every run; it is for invented data only
// (docs/scenario.md) and is reachable only through `@armsledger/server/invented-data`, never from
// configuration or a request.

/** Not exported: only this module can make a WriteRandomness, so no caller can hand in its own. */
const sanctioned: unique symbol = Symbol("armsledger.writeRandomness");

/** The draws of one command. */
export interface CommandDraws {
  newId(): string;
  salt(bytes?: number): Uint8Array;
}

export interface WriteRandomness {
  readonly [sanctioned]: "cryptographic" | "invented-data";
  forCommand(commandId: string): CommandDraws;
}

const cryptographicDraws: CommandDraws = { newId: () => randomUUID(), salt: (bytes) => randomSalt(bytes) };

/** node:crypto's CSPRNG: the default of every write, the only source a server or import uses. */
export const cryptographicRandomness: WriteRandomness = {
  [sanctioned]: "cryptographic",
  forCommand: () => cryptographicDraws,
};

/**
 * FOR INVENTED DATA ONLY (the scenario generator and tests). Every id and salt is HKDF-SHA-256 of
 * the seed, the command id and the draw's number: anyone who knows the seed can recompute every
 * salt, and so test a guess of a personal part against its commitment in the public leaf. On
 * real people's data that would undo the commitments' hiding; on invented people it costs nothing.
 * Draws depend on the command, not on the order of a run, so an interrupted and resumed run
 * draws the same values.
 */
export function inventedDataRandomness(seed: string): WriteRandomness {
  const key = Buffer.from(seed, "utf8");
  return {
    [sanctioned]: "invented-data",
    forCommand(commandId) {
      let n = 0;
      const draw = (what: string, bytes: number) =>
        new Uint8Array(
          hkdfSync("sha256", key, "", `armsledger/invented-data/${commandId}/${what}/${n++}`, bytes),
        );
      return {
        newId() {
          // A UUID of version 8 (application-defined), as the scenario's own ids.
          const b = draw("id", 16);
          b[6] = (b[6]! & 0x0f) | 0x80;
          b[8] = (b[8]! & 0x3f) | 0x80;
          const h = Buffer.from(b).toString("hex");
          return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
        },
        salt: (bytes = 32) => draw("salt", bytes),
      };
    },
  };
}
