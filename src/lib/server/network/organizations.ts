/**
 * The network's organisations, as the secretariat moderates them: every member organisation with
 * its program counts, and taking one off the public pages (or putting it back).
 */
import { recordAudit } from '../audit';
import { allOrganizations, setOrganizationPublished } from '../directory';
import { ok, refused, runIn, type Result, type SecretariatScope } from '../scope';

export type NetworkOrganization = Awaited<ReturnType<typeof allOrganizations>>[number];

/** Every organisation in the directory, published or not, with its program counts. */
export async function networkOrganizations(scope: SecretariatScope): Promise<NetworkOrganization[]> {
	return runIn(scope, (tx) => allOrganizations(tx));
}

/** Publish or unpublish any organisation (audit `organization.publish` / `organization.unpublish`); `no_organization` when there is none with this id. */
export async function moderateOrganization(scope: SecretariatScope, input: { organizationId: string; published: boolean }): Promise<Result<void, 'no_organization'>> {
	const { organizationId, published } = input;
	return runIn(scope, async (tx) => {
		if (!(await setOrganizationPublished(tx, organizationId, published))) return refused('no_organization');
		await recordAudit(tx, scope.origin, { action: published ? 'organization.publish' : 'organization.unpublish', organizationId, entityType: 'organization', entityId: organizationId, changedFields: ['published'] });
		return ok();
	});
}
