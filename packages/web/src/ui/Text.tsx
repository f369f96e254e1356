import type { ReactNode } from "react";

/**
 * Text people entered (names, site names, manifests): shown in the script it was entered in,
 * isolated so an Arabic name reads right inside an English sentence and the other way round.
 */
export function Entered({ children }: { children?: ReactNode }) {
  return <bdi dir="auto">{children}</bdi>;
}

/** Machine identifiers (receipt numbers, hashes, ids, keys): always left to right, Western digits. */
export function Code({ children }: { children: ReactNode }) {
  return (
    <code dir="ltr" className="code">
      {children}
    </code>
  );
}
