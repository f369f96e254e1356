import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { visibleScreens } from "../navigation/screens.ts";
import { useAccount } from "../session/session.ts";

export function HomePage() {
  const { t } = useTranslation();
  const account = useAccount().data ?? undefined;
  const screens = visibleScreens(account?.role).filter((s) => s.id !== "home");
  const open = screens.filter((s) => s.access === "public");
  const staff = screens.filter((s) => s.access !== "public");
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t("home.title")}</h1>
      <p className="muted">{t("app.tagline")}</p>
      <p>{t("home.intro")}</p>
      <h2>{t("home.publicHeading")}</h2>
      <ul>
        {open.map((s) => (
          <li key={s.id}>
            <Link to={s.path}>{t(`nav.${s.id}`)}</Link>
          </li>
        ))}
      </ul>
      {staff.length > 0 && (
        <>
          <h2>{t("home.staffHeading")}</h2>
          <ul>
            {staff.map((s) => (
              <li key={s.id}>
                <Link to={s.path}>{t(`nav.${s.id}`)}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
