import { Problem } from "@armsledger/core";
import { passwordWeakness } from "./password-policy.ts";

export const MIN_EXPORT_PASSPHRASE = 16;
const MAX_EXPORT_PASSPHRASE = 200;

/**
 * An export's passphrase is all that protects the file once it has left the server (a lost USB
 * stick, a forwarded e-mail), and scrypt slows a guesser only so much: it must be at least 16
 * characters and pass the staff password policy (zxcvbn score 3, not a common phrase or the
 * exporter's own name). Answers the passphrase; the refusal never repeats it.
 */
export function checkExportPassphrase(
  passphrase: string | undefined,
  userInputs: string[] = [],
  path = "passphrase",
): string {
  const refuse = (message: string) =>
    new Problem("request.invalid", `The export's passphrase ${message}.`, [{ path, message }]);
  if (passphrase === undefined || passphrase === "")
    throw refuse(
      "is missing: a file of people's records is only given encrypted, with a passphrase that reaches its recipient another way",
    );
  if ([...passphrase].length < MIN_EXPORT_PASSPHRASE)
    throw refuse(
      `is too short (at least ${MIN_EXPORT_PASSPHRASE} characters; a phrase of unrelated words is best)`,
    );
  if ([...passphrase].length > MAX_EXPORT_PASSPHRASE)
    throw refuse(`is too long (at most ${MAX_EXPORT_PASSPHRASE} characters)`);
  const weakness = passwordWeakness(passphrase, userInputs);
  if (weakness) throw refuse(weakness);
  return passphrase;
}
