// The receipt's own wording in English and Arabic; the wording it shares with other documents
// (item categories, table headings, page furniture) is in documents/labels.ts.
import type { EligibilityReason } from "@armsledger/core";
import type { Bilingual } from "../documents/labels.ts";

export const LABELS = {
  receipt: { en: "Handover receipt", ar: "إيصال تسليم" },
  receiptNumber: { en: "Receipt number", ar: "رقم الإيصال" },
  site: { en: "Collection site", ar: "موقع التجميع" },
  person: { en: "Handed over by", ar: "اسم المسلّم" },
  representative: { en: "Group representative (collective handover)", ar: "ممثل المجموعة (تسليم جماعي)" },
  eligibility: { en: "Eligibility", ar: "الأهلية" },
  officer: { en: "Verifying officer", ar: "الضابط المتحقق" },
  keep: {
    en: "Keep this receipt: it proves your handover is in the public ledger.",
    ar: "احتفظ بهذا الإيصال: فهو يثبت أن تسليمك مسجّل في السجل العام.",
  },
  serviceable: { en: "Serviceable", ar: "صالح للاستخدام" },
} satisfies Record<string, Bilingual>;

export const ELIGIBILITY_STATUS: Record<"eligible" | "ineligible" | "not_applicable", Bilingual> = {
  eligible: { en: "Eligible", ar: "مؤهل" },
  ineligible: { en: "Not eligible", ar: "غير مؤهل" },
  not_applicable: { en: "Not applicable", ar: "لا ينطبق" },
};

// Worded so that no reason says which group a person belongs to.
export const ELIGIBILITY_REASONS: Record<EligibilityReason, Bilingual> = {
  eligible_weapon: { en: "An eligible weapon was handed in", ar: "تم تسليم سلاح مؤهل" },
  minimum_rounds_met: {
    en: "The minimum quantity of ammunition was handed in",
    ar: "تم تسليم الحد الأدنى من الذخيرة",
  },
  already_eligible: { en: "Already eligible from an earlier handover", ar: "مؤهل من تسليم سابق" },
  no_programme_rules: {
    en: "The programme has no eligibility rules yet",
    ar: "لا توجد قواعد أهلية للبرنامج بعد",
  },
  registered_after_cut_off: {
    en: "Registered after the programme's cut-off date",
    ar: "التسجيل بعد الموعد النهائي للبرنامج",
  },
  no_eligible_item: { en: "No eligible item was handed in", ar: "لم يتم تسليم أي صنف مؤهل" },
  group_cap_reached: {
    en: "The limit on the number of participants is reached",
    ar: "تم بلوغ الحد الأقصى لعدد المشاركين",
  },
  collective_handover: {
    en: "Collective handover: individual eligibility does not apply",
    ar: "تسليم جماعي: لا تنطبق الأهلية الفردية",
  },
  cache_extraction: {
    en: "Extracted from a cache: individual eligibility does not apply",
    ar: "مستخرج من مخبأ: لا تنطبق الأهلية الفردية",
  },
  // Screening and eligibility.
  eligibility_revoked: {
    en: "Eligibility was revoked; only an appeal can restore it",
    ar: "أُلغيت الأهلية؛ لا يعيدها إلا الطعن",
  },
  exclusion_indicated: {
    en: "Screening found an indication that excludes, pending review on appeal",
    ar: "وجد الفحص مؤشراً يستبعد الأهلية، بانتظار المراجعة عند الطعن",
  },
  not_screened: {
    en: "Membership has not been verified by a screening yet",
    ar: "لم يتم التحقق من العضوية بالفحص بعد",
  },
  membership_not_verified: {
    en: "Screening did not verify membership",
    ar: "لم يتحقق الفحص من العضوية",
  },
};
