import { Problem, type Role } from "@armsledger/core";
import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import { newTotpSecret, totpStep } from "../crypto/index.ts";
import { openRow, sealRow } from "../crypto/personal-columns.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import type { Account } from "./accounts.ts";

/**
 * The optional second factor of an account: a time-based one-time code (RFC 6238) from an
 * authenticator app. Enrolment answers the secret once; the factor is asked for at sign-in only
 * after a first code confirms the app has it, so a half-finished enrolment cannot lock anyone out.
 * A code is accepted once: its time step must be later than the last one accepted.
 */

export interface TotpStatus {
  /** A confirmed factor, asked for at every sign-in. */
  enrolled: boolean;
  /** An enrolment that waits for its first code. */
  pending: boolean;
  /** The account's role must use a second factor. */
  required: boolean;
}

/** The factor with its secret decrypted; `sealedSecret` is the stored ciphertext (to update only that enrolment). */
async function findFactor(store: Store, userId: string) {
  const [row] = await store.db.select().from(t.totpFactors).where(eq(t.totpFactors.userId, userId));
  if (!row) return undefined;
  return { ...openRow(await store.personal.keys(), "totp_factors", userId, row), sealedSecret: row.secret };
}

export async function totpStatus(store: Store, account: Account): Promise<TotpStatus> {
  const factor = await findFactor(store, account.id);
  const [required] = await store.db
    .select({ role: t.totpRequiredRoles.role })
    .from(t.totpRequiredRoles)
    .where(eq(t.totpRequiredRoles.role, account.role));
  return {
    enrolled: Boolean(factor?.confirmedAt),
    pending: Boolean(factor && !factor.confirmedAt),
    required: Boolean(required),
  };
}

/** Whether sign-in must ask this account for a code. */
export async function hasConfirmedFactor(store: Store, userId: string): Promise<boolean> {
  return Boolean((await findFactor(store, userId))?.confirmedAt);
}

/**
 * Starts (or restarts) an enrolment: a new secret, answered this once. An account that already
 * has a confirmed factor must disable it first, so a stolen session cannot swap the factor.
 */
export async function startTotpEnrolment(
  store: Store,
  account: Account,
): Promise<{ secret: string; uri: string }> {
  const existing = await findFactor(store, account.id);
  if (existing?.confirmedAt)
    throw new Problem(
      "rule.violated",
      "This account already has an authenticator app. Disable it with a current code first, or ask an administrator to reset it.",
    );
  const created = newTotpSecret(account.username);
  const now = new Date().toISOString();
  // The secret is kept encrypted under the data key, like people's data.
  const { secret } = sealRow(await store.personal.keys(), "totp_factors", account.id, {
    secret: created.secret,
  });
  await store.db
    .insert(t.totpFactors)
    .values({ userId: account.id, secret, createdAt: now, confirmedAt: null, lastStep: null })
    .onConflictDoUpdate({
      target: t.totpFactors.userId,
      set: { secret, createdAt: now, confirmedAt: null, lastStep: null },
      // Never over a factor confirmed meanwhile by a concurrent request.
      setWhere: isNull(t.totpFactors.confirmedAt),
    });
  return created;
}

const wrongCode = () =>
  new Problem(
    "auth.code-invalid",
    "The one-time code is wrong, or was already used. Wait for the next code from the app, then try again.",
    [{ path: "code", message: "wrong or already used" }],
  );

/** Confirms a pending enrolment with a first code; from now on sign-in asks for a code. */
export async function confirmTotp(store: Store, account: Account, code: string, now: number): Promise<void> {
  const factor = await findFactor(store, account.id);
  if (!factor || factor.confirmedAt)
    throw new Problem(
      "rule.violated",
      factor
        ? "This account's authenticator app is already confirmed."
        : "There is no enrolment to confirm: start one with POST /api/v1/me/totp.",
    );
  const step = totpStep(factor.secret, code, now);
  if (step === undefined) throw wrongCode();
  const confirmed = await store.db
    .update(t.totpFactors)
    .set({ confirmedAt: new Date(now).toISOString(), lastStep: step })
    .where(
      and(
        eq(t.totpFactors.userId, account.id),
        eq(t.totpFactors.secret, factor.sealedSecret),
        isNull(t.totpFactors.confirmedAt),
      ),
    )
    .returning({ userId: t.totpFactors.userId });
  if (confirmed.length === 0) throw wrongCode();
}

/**
 * Accepts a code of the account's confirmed factor once: the step is recorded in the same
 * statement that checks it is later than the last, so two requests racing with one code cannot
 * both pass. Throws auth.code-invalid otherwise.
 */
export async function useTotpCode(store: Store, userId: string, code: string, now: number): Promise<void> {
  const factor = await findFactor(store, userId);
  if (!factor?.confirmedAt) throw wrongCode();
  const step = totpStep(factor.secret, code, now);
  if (step === undefined) throw wrongCode();
  const used = await store.db
    .update(t.totpFactors)
    .set({ lastStep: step })
    .where(
      and(
        eq(t.totpFactors.userId, userId),
        isNotNull(t.totpFactors.confirmedAt),
        or(isNull(t.totpFactors.lastStep), lt(t.totpFactors.lastStep, step)),
      ),
    )
    .returning({ userId: t.totpFactors.userId });
  if (used.length === 0) throw wrongCode();
}

/** Removes an account's factor, confirmed or pending. Answers whether there was one. */
export async function removeTotp(store: Store, userId: string): Promise<boolean> {
  const removed = await store.db
    .delete(t.totpFactors)
    .where(eq(t.totpFactors.userId, userId))
    .returning({ userId: t.totpFactors.userId });
  return removed.length > 0;
}

/** An administrator's reset (a lost phone): the account signs in with its password alone again. */
export async function resetTotp(store: Store, userId: string): Promise<{ removed: boolean }> {
  const [user] = await store.db.select({ id: t.users.id }).from(t.users).where(eq(t.users.id, userId));
  if (!user) throw new Problem("resource.not-found", "There is no user account with this id.");
  return { removed: await removeTotp(store, userId) };
}

export async function listTotpRequiredRoles(store: Store): Promise<Role[]> {
  const rows = await store.db
    .select({ role: t.totpRequiredRoles.role })
    .from(t.totpRequiredRoles)
    .orderBy(t.totpRequiredRoles.role);
  return rows.map((r) => r.role as Role);
}

/**
 * Sets the roles that must use a second factor. Their accounts without one may then only read
 * their own account and enrol until they confirm a factor (http/access.ts).
 */
export async function setTotpRequiredRoles(
  store: Store,
  actor: Account,
  roles: readonly Role[],
): Promise<Role[]> {
  const wanted = [...new Set(roles)];
  await store.db.transaction(async (tx) => {
    await tx.delete(t.totpRequiredRoles);
    if (wanted.length > 0)
      await tx
        .insert(t.totpRequiredRoles)
        .values(wanted.map((role) => ({ role, setBy: actor.id, setAt: new Date().toISOString() })));
  });
  return listTotpRequiredRoles(store);
}
