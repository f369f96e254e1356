/** A mistake in how the command was called: reported with a pointer to `armsledger help`, exit code 2. */
export class UsageError extends Error {}
