// The guard lives with the server's document code now (the API serves payment lists as files
// too); the CLI's exports and importer keep reading it from here.
export { guardFormula, unguardFormula } from "@armsledger/server";
