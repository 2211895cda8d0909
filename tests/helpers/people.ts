/**
 * People for authorization tests: one account per role in organisation A ("own"), an admin in
 * organisation B ("other"), a secretariat admin, and one who has not set up the required second
 * factor — each with a signed-in session made the way login makes them.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database, Db } from '../../src/lib/server/db';
import { asSystem } from '../../src/lib/server/db/tenant';
import { createSession, createUser } from '../../src/lib/server/auth';
import { users } from '../../src/lib/server/auth/schema';
import { setMembership, type Role } from '../../src/lib/server/network';

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

async function organisationWithPrograms(database: Database, skip: string[]): Promise<string> {
	const rows = await database.db.execute<{ id: string }>(sql`
		select o.id from organizations o
		where exists (select 1 from programs p where p.organization_id = o.id)
			and exists (select 1 from locations l where l.organization_id = o.id)
			and o.slug <> all(${`{${skip.join(',')}}`}::text[])
			and o.id::text <> all(${`{${skip.join(',')}}`}::text[])
		order by o.slug limit 1`);
	return rows.rows[0].id;
}

/** A person with a role in the organisation (auth's createUser, network's setMembership), not signed in: a member of a test's own organisation. */
export async function makeMember(db: Db, organizationId: string, role: Role, email: string): Promise<string> {
	return asSystem(db, async (tx) => {
		const id = await createUser(tx, email, email.split('@')[0], PASSWORD);
		await setMembership(tx, organizationId, id, role, null);
		return id;
	});
}

export async function seedCast(database: Database, tag = 'm'): Promise<Cast> {
	const secretariatOrg = (await database.db.execute<{ id: string }>(sql`select id from organizations where slug = 's003-arakawa-shakyo'`)).rows[0].id;
	const orgA = await organisationWithPrograms(database, ['s003-arakawa-shakyo']);
	const orgB = await organisationWithPrograms(database, ['s003-arakawa-shakyo', orgA]);
	const client = { ip: '192.0.2.10', userAgent: 'vitest' };
	const make = async (name: string, organizationId: string, role: Role, mfa: boolean): Promise<Person> => {
		const email = `${tag}-${name}@example.org`;
		const userId = await asSystem(database.db, async (tx) => {
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
