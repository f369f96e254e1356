// The deterministic write randomness, apart from the server's main entry on purpose: importing
// `@armsledger/server/invented-data` says what it is for. Only the scenario generator and tests
// may import it (test/crypto/invented-data.test.ts checks the sources).
export { inventedDataRandomness, type WriteRandomness } from "./write-randomness.ts";
