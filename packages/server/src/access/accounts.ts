import {
  type Actor,
  Problem,
  type Role,
  role as roleSchema,
  type Scope,
  scope as scopeSchema,
} from "@armsledger/core";
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { hashPassword, newId, newSecret, secretHash, verifyPassword } from "../crypto/index.ts";
import type { Store } from "../store/database.ts";
import * as t from "../store/schema.ts";
import { parseOrProblem } from "../write-path/zod-problem.ts";
import { passwordWeakness } from "./password-policy.ts";

export const SESSION_HOURS = 12;

export const newUser = z
  .strictObject({
    username: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(
        z.string().regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, "3-40 letters, digits, dots, dashes or underscores"),
      ),
    displayName: z.string().trim().min(1).max(120),
    password: z.string().min(12, "at least 12 characters").max(200),
    role: roleSchema,
    scope: scopeSchema.default({ sites: "all", governorates: "all" }),
  })
  .superRefine((user, ctx) => {
    const weakness = passwordWeakness(user.password, [user.username, user.displayName, "armsledger"]);
    if (weakness) ctx.addIssue({ code: "custom", path: ["password"], message: weakness });
  });

export type NewUser = z.input<typeof newUser>;

export interface Account {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: Scope;
  /**
   * The account's role must use a second factor and the account has none confirmed yet (set by
   * findAccountBySecret, in the same query, so the check costs signed-in requests nothing more).
   */
  secondFactorMissing?: boolean;
}

/** Whether the user's role requires a second factor that the user has not confirmed. */
const secondFactorMissing = sql<boolean>`(exists (select 1 from ${t.totpRequiredRoles} r where r.role = ${t.users.role})
  and not exists (select 1 from ${t.totpFactors} f where f.user_id = ${t.users.id} and f.confirmed_at is not null))`;

function accountOf(row: typeof t.users.$inferSelect): Account {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role as Role,
    scope: row.scope as Scope,
  };
}

export function actorOf(account: Account): Actor {
  return { userId: account.id, role: account.role, scope: account.scope };
}

export async function createUser(store: Store, input: NewUser): Promise<Account> {
  const user = parseOrProblem(newUser, input, "", "The user");
  const [taken] = await store.db
    .select({ id: t.users.id })
    .from(t.users)
    .where(eq(t.users.username, user.username));
  if (taken)
    throw new Problem("rule.violated", `The user name ${user.username} is taken.`, [
      { path: "username", message: "taken" },
    ]);
  const [row] = await store.db
    .insert(t.users)
    .values({
      id: newId(),
      username: user.username,
      displayName: user.displayName,
      passwordHash: await hashPassword(user.password),
      role: user.role,
      scope: user.scope,
      createdAt: new Date().toISOString(),
    })
    .returning();
  return accountOf(row!);
}

export async function listUsers(store: Store): Promise<Account[]> {
  const rows = await store.db.select().from(t.users).orderBy(t.users.username);
  return rows.map(accountOf);
}

export async function findAccountByUsername(store: Store, username: string): Promise<Account | undefined> {
  const [row] = await store.db
    .select()
    .from(t.users)
    .where(and(eq(t.users.username, username.trim().toLowerCase()), isNull(t.users.disabledAt)));
  return row ? accountOf(row) : undefined;
}

// A fixed hash to verify against when the user does not exist, so timing does not reveal which names exist.
let decoyHash: Promise<string> | undefined;

export async function authenticate(store: Store, username: string, password: string): Promise<Account> {
  const [row] = await store.db
    .select()
    .from(t.users)
    .where(and(eq(t.users.username, username.trim().toLowerCase()), isNull(t.users.disabledAt)));
  decoyHash ??= hashPassword("decoy password that no one has");
  const ok = await verifyPassword(row?.passwordHash ?? (await decoyHash), password);
  if (!row || !ok)
    throw new Problem(
      "auth.invalid-credentials",
      "The user name or password is wrong. Check both and try again.",
    );
  return accountOf(row);
}

export async function openSession(
  store: Store,
  account: Account,
): Promise<{ token: string; expiresAt: string }> {
  const token = newSecret("als_");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
  await store.db
    .insert(t.sessions)
    .values({ tokenHash: secretHash(token), userId: account.id, createdAt: now.toISOString(), expiresAt });
  return { token, expiresAt };
}

export async function closeSession(store: Store, token: string): Promise<void> {
  await store.db.delete(t.sessions).where(eq(t.sessions.tokenHash, secretHash(token)));
}

export async function createApiToken(
  store: Store,
  account: Account,
  name: string,
  days?: number,
): Promise<{ id: string; token: string }> {
  const token = newSecret("alt_");
  const id = newId();
  const now = new Date();
  await store.db.insert(t.apiTokens).values({
    id,
    userId: account.id,
    name,
    tokenHash: secretHash(token),
    createdAt: now.toISOString(),
    expiresAt: days ? new Date(now.getTime() + days * 86_400_000).toISOString() : null,
  });
  return { id, token };
}

export async function revokeApiToken(store: Store, account: Account, id: string): Promise<void> {
  const revoked = await store.db
    .update(t.apiTokens)
    .set({ revokedAt: new Date().toISOString() })
    .where(and(eq(t.apiTokens.id, id), eq(t.apiTokens.userId, account.id)))
    .returning({ id: t.apiTokens.id });
  if (revoked.length === 0) throw new Problem("resource.not-found", "You have no token with this id.");
}

/** The account behind a session cookie or an API token, if it is valid now. */
export async function findAccountBySecret(store: Store, secret: string): Promise<Account | undefined> {
  const hash = secretHash(secret);
  const now = new Date().toISOString();
  if (secret.startsWith("als_")) {
    const [row] = await store.db
      .select({ user: t.users, secondFactorMissing })
      .from(t.sessions)
      .innerJoin(t.users, eq(t.users.id, t.sessions.userId))
      .where(and(eq(t.sessions.tokenHash, hash), gt(t.sessions.expiresAt, now), isNull(t.users.disabledAt)));
    return row ? { ...accountOf(row.user), secondFactorMissing: row.secondFactorMissing } : undefined;
  }
  if (secret.startsWith("alt_")) {
    const [row] = await store.db
      .select({ user: t.users, secondFactorMissing })
      .from(t.apiTokens)
      .innerJoin(t.users, eq(t.users.id, t.apiTokens.userId))
      .where(
        and(
          eq(t.apiTokens.tokenHash, hash),
          isNull(t.apiTokens.revokedAt),
          or(isNull(t.apiTokens.expiresAt), gt(t.apiTokens.expiresAt, now)),
          isNull(t.users.disabledAt),
        ),
      );
    return row ? { ...accountOf(row.user), secondFactorMissing: row.secondFactorMissing } : undefined;
  }
  return undefined;
}

/**
 * Ends every session and API token of an account at once (a lost laptop, a suspected leak).
 * Answers how many were ended; the account can sign in again.
 */
export async function revokeAccess(
  store: Store,
  userId: string,
): Promise<{ sessions: number; tokens: number }> {
  return store.db.transaction(async (tx) => {
    await getUser(tx, userId);
    const sessions = await tx
      .delete(t.sessions)
      .where(eq(t.sessions.userId, userId))
      .returning({ id: t.sessions.tokenHash });
    const tokens = await tx
      .update(t.apiTokens)
      .set({ revokedAt: new Date().toISOString() })
      .where(and(eq(t.apiTokens.userId, userId), isNull(t.apiTokens.revokedAt)))
      .returning({ id: t.apiTokens.id });
    return { sessions: sessions.length, tokens: tokens.length };
  });
}

/** Disables an account (someone left the programme): it can no longer sign in, and all its access ends now. */
export async function disableUser(store: Store, actor: Account, userId: string): Promise<void> {
  if (actor.id === userId)
    throw new Problem("rule.violated", "You cannot disable your own account; ask another administrator.");
  await store.db.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (!user.disabledAt)
      await tx.update(t.users).set({ disabledAt: new Date().toISOString() }).where(eq(t.users.id, userId));
  });
  await revokeAccess(store, userId);
}

type Tx = Parameters<Parameters<Store["db"]["transaction"]>[0]>[0];

async function getUser(tx: Tx, userId: string) {
  const [user] = await tx.select().from(t.users).where(eq(t.users.id, userId));
  if (!user) throw new Problem("resource.not-found", "There is no user account with this id.");
  return user;
}
