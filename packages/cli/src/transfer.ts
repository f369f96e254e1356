// Placeholder replaced below once the import/export modules land.
export async function runTransfer(): Promise<void> {}
