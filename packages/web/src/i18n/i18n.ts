import i18next, { type i18n } from "i18next";
import { initReactI18next } from "react-i18next";
import { ar } from "./ar.ts";
import { en } from "./en.ts";

export const languages = ["ar", "en"] as const;
export type Language = (typeof languages)[number];

export const messages = { ar, en } as const;

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}

/** One i18next instance for the app (or for a test), with both languages loaded up front. */
export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    resources: { ar: { translation: ar }, en: { translation: en } },
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
    returnNull: false,
  });
  return instance;
}
