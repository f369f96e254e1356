import type { SiteView } from "@armsledger/core";
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api/client.ts";
import { useSettings } from "../settings/settings.tsx";
import { Choice } from "../ui/Choice.tsx";
import { Code, Entered } from "../ui/Text.tsx";

type Site = SiteView;

/** The registered sites (GET /api/v1/sites), read once every few minutes at most. */
export function useSites() {
  return useQuery({
    queryKey: ["sites"],
    queryFn: () => getJson<{ items: Site[] }>("/api/v1/sites"),
    staleTime: 5 * 60_000,
  });
}

/** A site's name as entered for the reader's language. */
function useSiteName() {
  const { language } = useSettings();
  return (site: Site) => (language === "ar" ? site.nameAr : site.nameEn);
}

/** A site by its id: its name in the reader's language (as entered), or its id while loading. */
export function SiteName({ id }: { id: string }) {
  const name = useSiteName();
  const site = useSites().data?.items.find((s) => s.id === id);
  if (!site) return <Code>{id.slice(0, 8)}</Code>;
  return <Entered>{name(site)}</Entered>;
}

/** A choice among the registered sites, or those of one kind (depots for a stock check…). */
export function SiteChoice({
  label,
  kind,
  value,
  onChange,
  error,
}: {
  label: string;
  kind?: string | undefined;
  value: string;
  onChange: (id: string) => void;
  error?: ReactNode | undefined;
}) {
  const { t } = useTranslation();
  const name = useSiteName();
  const sites = (useSites().data?.items ?? []).filter((s) => kind === undefined || s.kind === kind);
  const byId = new Map(sites.map((s) => [s.id, s]));
  return (
    <Choice
      label={label}
      error={error}
      value={value}
      options={sites.map((s) => s.id)}
      optionLabel={(id) => `${name(byId.get(id)!)} (${byId.get(id)!.code})`}
      onChange={onChange}
      prompt={t("lane.choosePrompt")}
    />
  );
}
