/** Debian's Chromium (the `chromium` package); playwright-core downloads no browser of its own. */
export const chromiumPath = process.env.ARMSLEDGER_CHROMIUM || "/usr/bin/chromium";
