import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App, AppProviders, newQueryClient } from "../src/app/App.tsx";
import type { Settings } from "../src/settings/settings.tsx";
import { account, fakeApi, signedOut } from "./fake-api.ts";

afterEach(() => vi.unstubAllGlobals());

function renderApp(settings: Settings | undefined, path = "/") {
  return render(
    <AppProviders
      client={newQueryClient()}
      router={(app) => <MemoryRouter initialEntries={[path]}>{app}</MemoryRouter>}
      {...(settings ? { settings } : {})}
    >
      <App />
    </AppProviders>,
  );
}

const navLinks = async () => {
  const nav = await screen.findByRole("navigation");
  return within(nav)
    .getAllByRole("link")
    .map((a) => a.getAttribute("href"));
};

describe("language and direction", () => {
  it("lays Arabic out right to left and English left to right, on <html>, as the platform says", async () => {
    fakeApi({ "GET /api/v1/me": signedOut });
    renderApp({ language: "ar", digits: "arab" });
    await waitFor(() => expect(document.documentElement.getAttribute("dir")).toBe("rtl"));
    expect(document.documentElement.lang).toBe("ar");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("أهلًا بك");

    fireEvent.change(screen.getByLabelText("اللغة"), { target: { value: "en" } });
    await waitFor(() => expect(document.documentElement.getAttribute("dir")).toBe("ltr"));
    expect(document.documentElement.lang).toBe("en");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Welcome");
    expect(document.title).toBe("Home — ArmsLedger");
  });

  it("remembers the language and digits chosen", async () => {
    fakeApi({ "GET /api/v1/me": signedOut });
    const first = renderApp({ language: "ar", digits: "arab" });
    fireEvent.change(screen.getByLabelText("اللغة"), { target: { value: "en" } });
    fireEvent.change(await screen.findByLabelText("Digits"), { target: { value: "latn" } });
    await waitFor(() =>
      expect(JSON.parse(localStorage.getItem("armsledger.settings") ?? "{}")).toEqual({
        language: "en",
        digits: "latn",
      }),
    );
    first.unmount();
    renderApp(undefined); // nothing passed in: read back from localStorage
    expect(await screen.findByLabelText("Language")).toHaveProperty("value", "en");
    await waitFor(() => expect(document.documentElement.getAttribute("dir")).toBe("ltr"));
  });
});

describe("digits", () => {
  const figures = {
    size: 1234,
    minimumCell: 5,
    persons: { registered: 120, byGovernorate: [{ key: "IQ-BG", count: 120 }] },
    handovers: { count: 57, byDay: [{ key: "2026-03-01", count: 57 }] },
    weapons: {
      total: 75,
      serviceable: 60,
      byCategory: [
        { key: "rifle", count: 72 },
        { key: "pistol", count: null },
      ],
      byGovernorate: [{ key: "IQ-BG", count: 75 }],
    },
    ammunition: { rounds: 9000 },
  };

  it("shows figures in Arabic-Indic digits when chosen, and Western ones otherwise", async () => {
    fakeApi({ "GET /api/v1/me": signedOut, "GET /api/v1/public/figures": figures });
    const view = renderApp({ language: "ar", digits: "arab" }, "/figures");
    expect((await screen.findAllByText("١٢٠")).length).toBeGreaterThan(0);
    expect(screen.getByText("حتى حجم السجلّ ١٬٢٣٤")).toBeTruthy();
    expect(screen.getAllByText("بغداد").length).toBe(2); // the governorate's name, not its code
    expect(screen.getByText("أقل من ٥")).toBeTruthy(); // a withheld cell
    view.unmount();

    fakeApi({ "GET /api/v1/me": signedOut, "GET /api/v1/public/figures": figures });
    renderApp({ language: "ar", digits: "latn" }, "/figures");
    expect((await screen.findAllByText("120")).length).toBeGreaterThan(0);
    expect(screen.queryByText("١٢٠")).toBeNull();
  });
});

describe("navigation by role", () => {
  const staffScreens = ["/trail", "/transfers", "/discrepancies"];

  it("shows only public screens and the sign-in link to someone not signed in", async () => {
    fakeApi({ "GET /api/v1/me": signedOut });
    renderApp({ language: "en", digits: "latn" });
    await screen.findByRole("link", { name: "Sign in" });
    const links = await navLinks();
    expect(links).toEqual(["/", "/receipt", "/figures", "/ledger"]);
  });

  it.each([
    ["custodian", ["/trail", "/transfers", "/discrepancies"]],
    ["analyst", ["/trail"]],
    ["monitor", ["/trail", "/transfers", "/discrepancies"]],
    ["registrar", []],
    ["case_worker", []],
  ] as const)("shows a %s the screens core's policy allows", async (role, expected) => {
    fakeApi({ "GET /api/v1/me": account(role) });
    renderApp({ language: "en", digits: "latn" });
    await screen.findByRole("button", { name: "Sign out" });
    const links = await navLinks();
    expect(links.filter((l) => staffScreens.includes(l!))).toEqual(expected);
  });

  it("refuses a screen the role may not use, and asks a stranger to sign in", async () => {
    fakeApi({ "GET /api/v1/me": account("analyst") });
    const view = renderApp({ language: "en", digits: "latn" }, "/transfers");
    expect(await screen.findByText("Your role (Analyst) may not use this page.")).toBeTruthy();
    view.unmount();
    fakeApi({ "GET /api/v1/me": signedOut });
    renderApp({ language: "en", digits: "latn" }, "/transfers");
    expect(await screen.findByText("Sign in to see this page.", { exact: false })).toBeTruthy();
  });

  it("signs in, then shows the role's screens and the name as entered; signs out again", async () => {
    let me: unknown = signedOut;
    const calls = fakeApi({
      get "GET /api/v1/me"() {
        return me;
      },
      "POST /api/v1/auth/login": (init: RequestInit) => {
        const body = JSON.parse(String(init.body));
        if (body.password !== "right") return problemResponse(401, "auth.invalid-credentials");
        me = account("registrar");
        return Response.json({ account: me, expiresAt: "2030-01-01T00:00:00Z" });
      },
      "POST /api/v1/auth/logout": () => {
        me = signedOut;
        return new Response(null, { status: 204 });
      },
    });
    renderApp({ language: "ar", digits: "arab" }, "/sign-in");
    fireEvent.change(await screen.findByLabelText("اسم المستخدم"), { target: { value: "registrar" } });
    fireEvent.change(screen.getByLabelText("كلمة المرور"), { target: { value: "wrong" } });
    fireEvent.click(screen.getByRole("button", { name: "دخول" }));
    expect(await screen.findByText("اسم المستخدم أو كلمة المرور غير صحيحة.")).toBeTruthy();

    fireEvent.change(screen.getByLabelText("كلمة المرور"), { target: { value: "right" } });
    fireEvent.click(screen.getByRole("button", { name: "دخول" }));
    const name = await screen.findByText("سارة الحسيني");
    expect(name.tagName).toBe("BDI");
    expect(name.getAttribute("dir")).toBe("auto");
    await waitFor(() => expect(document.activeElement?.id).toBe("main")); // the new screen has the focus
    expect(calls).toContain("POST /api/v1/auth/login");

    fireEvent.click(screen.getByRole("button", { name: "تسجيل الخروج" }));
    expect(await screen.findByRole("link", { name: "تسجيل الدخول" })).toBeTruthy();
    expect(calls).toContain("POST /api/v1/auth/logout");
  });
});

describe("sign-in with an authenticator app", () => {
  it("asks for the code when the server says the account needs one, then sends it", async () => {
    const sent: Record<string, unknown>[] = [];
    fakeApi({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/login": (init: RequestInit) => {
        const body = JSON.parse(String(init.body));
        sent.push(body);
        if (body.code === undefined) return problemResponse(401, "auth.code-required");
        if (body.code !== "123456") return problemResponse(401, "auth.code-invalid");
        return Response.json({ account: account("registrar"), expiresAt: "2030-01-01T00:00:00Z" });
      },
    });
    renderApp({ language: "en", digits: "latn" }, "/sign-in");
    fireEvent.change(await screen.findByLabelText("User name"), { target: { value: "registrar" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "right" } });
    expect(screen.queryByLabelText("Six-digit code from your authenticator app")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter the six-digit code from your authenticator app.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Six-digit code from your authenticator app"), {
      target: { value: "654321" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText(/The code is wrong or was already used/u)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Six-digit code from your authenticator app"), {
      target: { value: " 123456 " },
    });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(sent).toHaveLength(3));
    expect(sent.map((b) => b.code)).toEqual([undefined, "654321", "123456"]);
    await waitFor(() => expect(screen.queryByLabelText("Password")).toBeNull());
  });
});

function problemResponse(status: number, code: string) {
  return new Response(JSON.stringify({ status, code, detail: code }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}
