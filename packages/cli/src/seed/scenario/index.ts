// The scenario generator as a library, for the benchmarks and tests that need a national scenario.
export { ledgerFingerprint } from "./fingerprint.ts";
export { familyNames, femaleNames, maleNames, type NameChain, writeName } from "./names.ts";
export { SCENARIO, type ScenarioOptions, ScenarioPlan } from "./plan.ts";
export { type SeedProgress, type SeedReport, seedScenario } from "./run.ts";
export { scenarioSummary } from "./summary.ts";
