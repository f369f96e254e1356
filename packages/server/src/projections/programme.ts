import * as t from "../store/schema.ts";
import { type Projector, touch } from "./recorded-event.ts";

export const programmeConfigured: Projector = async (tx, e) => {
  await tx
    .insert(t.programme)
    .values({ id: 1, config: e.data, configuredSeq: e.seq })
    .onConflictDoUpdate({ target: t.programme.id, set: { config: e.data, configuredSeq: e.seq } });
  await touch(tx, e.seq, [{ kind: "programme", id: "programme" }]);
};
