import { type ReactNode, useState } from "react";
import { isoDateTime, localDateTime, TextField } from "./form.tsx";
import { ItemPicker, type PickedItem } from "./ItemPicker.tsx";
import { SiteChoice } from "./sites.tsx";

/**
 * Site, time and items: what a disposition or a store removal names first. The site's items on
 * its shelves are offered to tick once it is chosen; `fields` lays them out with the API's errors
 * (the time's at `atPath`).
 */
export function useSiteTimeItems(labels: { site: string; at: string; items: string }, siteKind?: string) {
  const [siteId, setSite] = useState("");
  const [at, setAt] = useState(() => localDateTime());
  const [items, setItems] = useState<PickedItem[]>([]);
  const fields = (error: (...p: string[]) => ReactNode, atPath: string) => (
    <>
      <div className="form-grid">
        <SiteChoice
          label={labels.site}
          kind={siteKind}
          value={siteId}
          onChange={setSite}
          error={error("payload.siteId")}
        />
        <TextField
          label={labels.at}
          type="datetime-local"
          value={at}
          onChange={setAt}
          error={error(atPath)}
        />
      </div>
      <ItemPicker
        legend={labels.items}
        at="payload.items"
        items={items}
        onChange={setItems}
        error={error}
        siteId={siteId || undefined}
      />
    </>
  );
  return { siteId, at: isoDateTime(at), items, fields };
}
