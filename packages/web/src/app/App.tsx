import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ComponentType, lazy, type ReactNode, Suspense, useEffect, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { BrowserRouter, Link, NavLink, Route, Routes, useLocation } from "react-router";
import { type Language, languages } from "../i18n/i18n.ts";
import {
  mayOpen,
  type Screen,
  type ScreenId,
  screenById,
  screens,
  visibleScreens,
} from "../navigation/screens.ts";
import { OfflineUnlock } from "../session/OfflineUnlock.tsx";
import { SignInPage } from "../session/SignInPage.tsx";
import { sessionUnreachable, useAccount, useSignOut } from "../session/session.ts";
import {
  type Digits,
  digitSystems,
  type Settings,
  SettingsProvider,
  useSettings,
} from "../settings/settings.tsx";
import { Field } from "../ui/Field.tsx";
import { Entered } from "../ui/Text.tsx";
import { HomePage } from "./HomePage.tsx";
import { useWaitingUpdate } from "./update.ts";

// Every screen but the home page is loaded when first opened, so the first visit (often over a
// slow field link) downloads only the shell.
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

const pages: Record<ScreenId, ComponentType> = {
  home: HomePage,
  receipt: page(() => import("../receipt-check/ReceiptCheckPage.tsx"), "ReceiptCheckPage"),
  figures: page(() => import("../figures/FiguresPage.tsx"), "FiguresPage"),
  ledger: page(() => import("../ledger/LedgerPage.tsx"), "LedgerPage"),
  lane: page(() => import("../lane/LanePage.tsx"), "LanePage"),
  trail: page(() => import("../trail/TrailPage.tsx"), "TrailPage"),
  transfers: page(() => import("../custody/TransfersPage.tsx"), "TransfersPage"),
  discrepancies: page(() => import("../custody/DiscrepanciesPage.tsx"), "DiscrepanciesPage"),
  dashboard: page(() => import("../dashboard/DashboardPage.tsx"), "DashboardPage"),
  stockChecks: page(() => import("../custody/StockChecksPage.tsx"), "StockChecksPage"),
  dispositions: page(() => import("../custody/DispositionsPage.tsx"), "DispositionsPage"),
  caches: page(() => import("../custody/CachesPage.tsx"), "CachesPage"),
  groups: page(() => import("../groups/GroupsPage.tsx"), "GroupsPage"),
  persons: page(() => import("../persons/PersonsPage.tsx"), "PersonsPage"),
  reintegration: page(() => import("../reintegration/ReintegrationPage.tsx"), "ReintegrationPage"),
  stores: page(() => import("../custody/StoresPage.tsx"), "StoresPage"),
};

export function newQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });
}

/** Query cache, language settings and router: what every screen needs above it. */
export function AppProviders({
  children,
  client,
  settings,
  router = (app) => <BrowserRouter>{app}</BrowserRouter>,
}: {
  children: ReactNode;
  client?: QueryClient;
  settings?: Settings;
  /** Tests route in memory. */
  router?: (app: ReactNode) => ReactNode;
}) {
  const [queryClient] = useState(() => client ?? newQueryClient());
  return (
    <QueryClientProvider client={queryClient}>
      <SettingsProvider {...(settings ? { initial: settings } : {})}>{router(children)}</SettingsProvider>
    </QueryClientProvider>
  );
}

export function App() {
  const { t } = useTranslation();
  const main = useMainFocus();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          {t("app.name")}
        </Link>
        <Navigation />
        <SettingsControls />
        <SessionControls />
      </header>
      <UpdateNotice />
      <main id="main" tabIndex={-1} ref={main}>
        <Suspense fallback={<p role="status">{t("common.loading")}</p>}>
          <Routes>
            {screens.map((s) => (
              <Route key={s.id} path={s.path} element={<Guarded screen={s} />} />
            ))}
            {/* A person's record: the persons screen, under the same guard. */}
            <Route path="/persons/:id" element={<Guarded screen={screenById("persons")} />} />
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}

/**
 * After a navigation, focus moves to the new screen (not on the first load), so a screen reader
 * announces it and the keyboard continues from there rather than from the link just followed.
 */
function useMainFocus() {
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    main.current?.focus();
  }, [pathname]);
  return main;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <p className="notice">
      {t("common.notFound")} <Link to="/">{t("nav.home")}</Link>
    </p>
  );
}

function Navigation() {
  const { t } = useTranslation();
  const account = useAccount().data ?? undefined;
  return (
    <nav aria-label={t("nav.label")}>
      <ul>
        {visibleScreens(account?.role).map((s) => (
          <li key={s.id}>
            <NavLink to={s.path} end>
              {t(`nav.${s.id}`)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A screen, or why it is not shown: not signed in, or a role the policy does not allow. */
function Guarded({ screen }: { screen: Screen }) {
  const { t } = useTranslation();
  const location = useLocation();
  const account = useAccount();
  const title = t(`nav.${screen.id}`);
  useEffect(() => {
    document.title = t("app.title", { screen: title });
  }, [t, title]);
  if (screen.access !== "public" && sessionUnreachable(account)) return <OfflineUnlock />;
  if (screen.access !== "public" && account.isPending) return <p role="status">{t("common.loading")}</p>;
  const role = account.data?.role;
  if (!mayOpen(screen, role)) {
    if (!role)
      return (
        <p className="notice">
          {t("session.required")}{" "}
          <Link to="/sign-in" state={{ from: location.pathname }}>
            {t("nav.signIn")}
          </Link>
        </p>
      );
    return <p className="notice notice-error">{t("session.forbidden", { role: t(`roles.${role}`) })}</p>;
  }
  const Page = pages[screen.id];
  return <Page />;
}

/** A new version is waiting in the service worker (update.ts): the officer takes it when ready. */
function UpdateNotice() {
  const { t } = useTranslation();
  const apply = useWaitingUpdate();
  if (!apply) return null;
  return (
    <div className="notice update-notice" role="status">
      <span>{t("update.ready")}</span>{" "}
      <button type="button" onClick={() => void apply()}>
        {t("update.apply")}
      </button>
    </div>
  );
}

function SettingsControls() {
  const { t } = useTranslation();
  const settings = useSettings();
  return (
    <fieldset className="settings">
      <legend className="visually-hidden">{t("settings.label")}</legend>
      <Field label={t("settings.language")}>
        {(control) => (
          <select
            {...control}
            value={settings.language}
            onChange={(e) => settings.setLanguage(e.target.value as Language)}
          >
            {languages.map((l) => (
              <option key={l} value={l} lang={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t("settings.digits")}>
        {(control) => (
          <select
            {...control}
            value={settings.digits}
            onChange={(e) => settings.setDigits(e.target.value as Digits)}
          >
            {digitSystems.map((d) => (
              <option key={d} value={d}>
                {t(d === "arab" ? "settings.digitsArab" : "settings.digitsLatn")}
              </option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}

function SessionControls() {
  const { t } = useTranslation();
  const query = useAccount();
  const account = query.data;
  const signOut = useSignOut();
  // Reopened offline: the way back to the lane (which asks for the password), not a sign-in that cannot work.
  if (!account && sessionUnreachable(query))
    return (
      <Link to="/lane" className="session">
        {t("offline.title")}
      </Link>
    );
  if (!account)
    return (
      <Link to="/sign-in" className="session">
        {t("nav.signIn")}
      </Link>
    );
  return (
    <div className="session">
      <span>
        <Trans
          i18nKey="session.signedInAs"
          values={{ name: account.displayName, role: t(`roles.${account.role}`) }}
          components={{ name: <Entered /> }}
        />
      </span>
      <button type="button" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
        {t("session.signOut")}
      </button>
    </div>
  );
}
