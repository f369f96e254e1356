import { parseCosignerVerifierKey } from "@armsledger/ledger";
import { desc, eq } from "drizzle-orm";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { addCheckpointToWitness } from "../witness/client.ts";
import type { WitnessPolicy } from "../witness/policy.ts";
import type { IssuedCheckpoint } from "./checkpointer.ts";
import { consistencyProofFromTiles } from "./tile-store.ts";

/**
 * Asks every witness of the policy that has a URL to cosign a new checkpoint (C2SP tlog-witness),
 * each from the size it last cosigned, and keeps the verified cosignature lines. A witness that is
 * down or refuses does not stop the others; the checkpoint is "witnessed" once the quorum holds.
 */
export async function collectCosignatures(
  store: Store,
  policy: WitnessPolicy,
  checkpoint: IssuedCheckpoint,
  log?: { warn(obj: object, msg: string): void },
): Promise<string[]> {
  const cosigned: string[] = [];
  await Promise.all(
    policy.witnesses
      .filter((w) => w.url)
      .map(async (witness) => {
        const name = parseCosignerVerifierKey(witness.verifierKey).name;
        const [last] = await store.db
          .select({ size: t.cosignatures.size })
          .from(t.cosignatures)
          .where(eq(t.cosignatures.witness, name))
          .orderBy(desc(t.cosignatures.size))
          .limit(1);
        try {
          const line = await addCheckpointToWitness({
            url: witness.url!,
            witnessVerifierKeyText: witness.verifierKey,
            signedCheckpoint: checkpoint.note,
            oldSize: last?.size ?? 0,
            proofFor: (old) => consistencyProofFromTiles(store.db, Number(old), checkpoint.size),
          });
          await store.db
            .insert(t.cosignatures)
            .values({ size: checkpoint.size, witness: name, line, receivedAt: new Date().toISOString() })
            .onConflictDoNothing();
          cosigned.push(name);
        } catch (error) {
          log?.warn(
            { witness: name, failure: (error as { code?: string }).code ?? (error as Error).name },
            "a witness did not cosign",
          );
        }
      }),
  );
  return cosigned;
}
