import type { SiteInput } from "@armsledger/core";
import * as t from "../store/schema.ts";
import { type Projector, touch } from "./recorded-event.ts";

export const siteRegistered: Projector = async (tx, e) => {
  const d = e.data as SiteInput & { siteId: string };
  await tx.insert(t.sites).values({
    id: d.siteId,
    code: d.code,
    kind: d.kind,
    nameAr: d.name.ar,
    nameEn: d.name.en,
    governorate: d.governorate,
    lat: d.location.lat,
    lon: d.location.lon,
    registeredSeq: e.seq,
    updatedSeq: e.seq,
  });
  await touch(tx, e.seq, [{ kind: "site", id: d.siteId }]);
};
