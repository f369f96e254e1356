import { ammunitionKinds, keyPartNames, weaponCategories } from "@armsledger/core";
import { useTranslation } from "react-i18next";

const has = <T extends string>(list: readonly T[], x: string): x is T =>
  (list as readonly string[]).includes(x);

/**
 * A type of item as stock checks and cache reports count them ("weapon" + "rifle", "ammunition" +
 * "cartridge"): named in the reader's language when the category is one of core's, else as recorded.
 */
export function useItemTypeLabel() {
  const { t } = useTranslation();
  return (kind: string, category: string) => {
    const what =
      kind === "weapon" && has(weaponCategories, category)
        ? t(`categories.${category}`)
        : kind === "ammunition" && has(ammunitionKinds, category)
          ? t(`lane.ammunitionKinds.${category}`)
          : kind === "key_part" && has(keyPartNames, category)
            ? t(`keyParts.names.${category}`)
            : category;
    const of = has(["weapon", "ammunition", "key_part"] as const, kind) ? t(`trail.${kind}`) : kind;
    return `${of}: ${what}`;
  };
}
