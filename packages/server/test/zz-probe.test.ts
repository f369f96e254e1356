import { writeFileSync } from "node:fs";
import * as mupdf from "mupdf";
import { it } from "vitest";
import { renderCard } from "../src/card/card-pdf.ts";
it("probe", async () => {
  for (const [name, photo, latin] of [["a", "ab".repeat(32), { given: "Mohammed", father: "Abdullah", grandfather: "Hassan", family: "Al-Jubouri" }], ["b", undefined, { given: "Fatima", family: "Saleh" }]] as const) {
    const pdf = await renderCard({
      cardNumber: "DC-0000042-7",
      check: "3f2a9c0e8b7d6a5f",
      issuedAt: "2025-03-14T09:41:00Z",
      holder: { name: { arabic: { given: "محمد", father: "عبد الله", grandfather: "حسن", family: "الجبوري" }, latin }, photo },
      programmeName: { en: "National DDR Programme", ar: "برنامج نزع السلاح والتسريح وإعادة الإدماج" },
    });
    const doc = mupdf.Document.openDocument(pdf, "application/pdf");
    const page = doc.loadPage(0);
    console.log(page.getBounds());
    const pix = page.toPixmap(mupdf.Matrix.scale(4, 4), mupdf.ColorSpace.DeviceRGB, false);
    writeFileSync(`/tmp/cards-scratch/card-${name}.png`, pix.asPNG());
  }
});
