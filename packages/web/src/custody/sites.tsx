import type { SiteView } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import { getJson } from "../api/client.ts";
import { useSettings } from "../settings/settings.tsx";
import { Code, Entered } from "../ui/Text.tsx";

type Site = SiteView;

/** A site by its id: its name in the reader's language (as entered), or its id while loading. */
export function SiteName({ id }: { id: string }) {
  const { language } = useSettings();
  const sites = useQuery({
    queryKey: ["sites"],
    queryFn: () => getJson<{ items: Site[] }>("/api/v1/sites"),
    staleTime: 5 * 60_000,
  });
  const site = sites.data?.items.find((s) => s.id === id);
  if (!site) return <Code>{id.slice(0, 8)}</Code>;
  return <Entered>{language === "ar" ? site.nameAr : site.nameEn}</Entered>;
}
