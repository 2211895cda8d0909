/**
 * People for authorization tests: one account per role in organisation A ("own"), an admin in
 * organisation B ("other"), a secretariat admin, and one who has not set up the required second
 * factor — each with a signed-in session made the way login makes them.
 *
 * A and B are new organisations (tests/helpers/factories.ts), each with one place and one published
 * program (no dated sessions); a test makes anything more it needs there. The secretariat's
 * organisation is the network's own, made as start-up makes it when the demo region is off
 * (`makeSecretariatOrganization`). None of it is demo data.
 */
import { eq } from 'drizzle-orm';
import type { Database, Pool } from '../../src/lib/server/db';
import { createSession, createUser } from '../../src/lib/server/auth';
import { users } from '../../src/lib/server/auth/schema';
import { setMembership, type Role } from '../../src/lib/server/network';
import { makeOrganizationWithProgram, makeSecretariatOrganization } from './factories';
import { setUp } from './contexts';

export const PRINCIPALS = ['anonymous', 'volunteer', 'counsellor', 'staff', 'org_admin', 'secretariat', 'unenrolled'] as const;
export type Principal = (typeof PRINCIPALS)[number];

export interface Person {
	userId: string;
	email: string;
	password: string;
	token: string;
}

export interface Cast {
	orgA: string;
	orgB: string;
	secretariatOrg: string;
	people: Record<Exclude<Principal, 'anonymous'>, Person> & { adminB: Person; staffB: Person };
}

const PASSWORD = 'correct horse battery staple';

/** An account with no role anywhere (auth's createUser), not signed in: someone who manages only their own account. */
export async function makeAccount(db: Pool, account: { email: string; password: string; displayName?: string; secondFactor?: boolean }): Promise<string> {
	return setUp(db, async (tx) => {
		const id = await createUser(tx, account.email, account.displayName ?? 'テスト', account.password);
		// Enrolled as the cast's counsellors are: the login then asks for the second factor.
		if (account.secondFactor) await tx.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, id));
		return id;
	});
}

/** A person with a role in the organisation (auth's createUser, network's setMembership), not signed in: a member of a test's own organisation. */
export async function makeMember(db: Pool, organizationId: string, role: Role, email: string): Promise<string> {
	return setUp(db, async (tx) => {
		const id = await createUser(tx, email, email.split('@')[0], PASSWORD);
		await setMembership(tx, organizationId, id, role, null);
		return id;
	});
}

export async function seedCast(database: Database, tag = 'm'): Promise<Cast> {
	const secretariatOrg = await makeSecretariatOrganization(database.db);
	// Each with a place and a published program, as the demo organisations the cast once borrowed.
	const { organizationId: orgA } = await makeOrganizationWithProgram(database.db, { organization: { name: `試験団体A-${tag}` } });
	const { organizationId: orgB } = await makeOrganizationWithProgram(database.db, { organization: { name: `試験団体B-${tag}` } });
	const client = { ip: '192.0.2.10', userAgent: 'vitest' };
	const make = async (name: string, organizationId: string, role: Role, mfa: boolean): Promise<Person> => {
		const email = `${tag}-${name}@example.org`;
		const userId = await setUp(database.db, async (tx) => {
			const id = await createUser(tx, email, name, PASSWORD);
			await setMembership(tx, organizationId, id, role, null);
			// Stands in for a finished TOTP enrolment (tested in auth/); the matrix is about roles.
			if (mfa) await tx.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, id));
			return id;
		});
		return { userId, email, password: PASSWORD, token: await createSession(database.db, userId, true, client) };
	};
	return {
		orgA,
		orgB,
		secretariatOrg,
		people: {
			volunteer: await make('volunteer', orgA, 'volunteer', false),
			counsellor: await make('counsellor', orgA, 'counsellor', true),
			staff: await make('staff', orgA, 'staff', false),
			org_admin: await make('org-admin', orgA, 'org_admin', false),
			secretariat: await make('secretariat', secretariatOrg, 'secretariat_admin', true),
			unenrolled: await make('unenrolled', orgA, 'counsellor', false),
			adminB: await make('admin-b', orgB, 'org_admin', false),
			staffB: await make('staff-b', orgB, 'staff', false)
		}
	};
}
