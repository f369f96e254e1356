import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";
import { I18nextProvider } from "react-i18next";
import { directionOf } from "../i18n/direction.ts";
import { createI18n, type Language, languages } from "../i18n/i18n.ts";

/** Arabic-Indic (٠١٢٣) or Western (0123) digits: the Intl numbering system shown everywhere. */
export const digitSystems = ["arab", "latn"] as const;
export type Digits = (typeof digitSystems)[number];

export interface Settings {
  language: Language;
  digits: Digits;
}

const STORAGE_KEY = "armsledger.settings";

function isLanguage(x: unknown): x is Language {
  return typeof x === "string" && (languages as readonly string[]).includes(x);
}
function isDigits(x: unknown): x is Digits {
  return typeof x === "string" && (digitSystems as readonly string[]).includes(x);
}

/** Digits people in each language mostly expect, until they choose. */
const usualDigits: Record<Language, Digits> = { ar: "arab", en: "latn" };

/** The remembered settings, or the browser's preferred language (Arabic when it names neither). */
export function loadSettings(storage: Storage | undefined = globalThis.localStorage): Settings {
  let stored: Partial<Settings> = {};
  try {
    stored = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "{}") as Partial<Settings>;
  } catch {
    // A damaged entry is ignored, not fatal: the defaults below apply.
  }
  const preferred = (globalThis.navigator?.languages ?? []).map((tag) => tag.split("-")[0]).find(isLanguage);
  const language = isLanguage(stored.language) ? stored.language : (preferred ?? "ar");
  const digits = isDigits(stored.digits) ? stored.digits : usualDigits[language];
  return { language, digits };
}

export function saveSettings(settings: Settings, storage: Storage | undefined = globalThis.localStorage) {
  storage?.setItem(STORAGE_KEY, JSON.stringify(settings));
}

interface SettingsContext extends Settings {
  setLanguage(language: Language): void;
  setDigits(digits: Digits): void;
}

const Context = createContext<SettingsContext | undefined>(undefined);

export function useSettings(): SettingsContext {
  const settings = useContext(Context);
  if (!settings) throw new Error("useSettings is used outside <SettingsProvider>");
  return settings;
}

/** Language and digits for the whole app, remembered in localStorage and applied to <html lang dir>. */
export function SettingsProvider({ children, initial }: { children: ReactNode; initial?: Settings }) {
  const [settings, setSettings] = useState<Settings>(() => initial ?? loadSettings());
  const [i18n] = useState(() => createI18n(settings.language));

  useEffect(() => {
    saveSettings(settings);
    void i18n.changeLanguage(settings.language);
    const root = document.documentElement;
    root.lang = settings.language;
    root.dir = directionOf(settings.language);
  }, [settings, i18n]);

  const value = useMemo<SettingsContext>(
    () => ({
      ...settings,
      setLanguage: (language) => setSettings((s) => ({ ...s, language })),
      setDigits: (digits) => setSettings((s) => ({ ...s, digits })),
    }),
    [settings],
  );
  return (
    <I18nextProvider i18n={i18n}>
      <Context.Provider value={value}>{children}</Context.Provider>
    </I18nextProvider>
  );
}
