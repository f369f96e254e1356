import i18next from "i18next";

export type Direction = "rtl" | "ltr";

interface TextInfo {
  direction?: string;
}

/**
 * The writing direction of a language, as the platform's CLDR data gives it: Intl.Locale's
 * `getTextInfo()` (the current proposal) or its older `textInfo` accessor (Chrome, Safari, Node).
 * Where the browser has neither (Firefox, at the time of writing), i18next's own list of
 * right-to-left languages answers — the only hand-kept list, and only as a fallback.
 */
export function directionOf(language: string): Direction {
  const locale = new Intl.Locale(language) as Intl.Locale & {
    getTextInfo?: () => TextInfo;
    textInfo?: TextInfo;
  };
  const info = typeof locale.getTextInfo === "function" ? locale.getTextInfo() : locale.textInfo;
  if (info?.direction === "rtl" || info?.direction === "ltr") return info.direction;
  return i18next.dir(language);
}
