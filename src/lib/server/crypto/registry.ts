/**
 * Every column that holds envelope-encrypted text. keys:rotate walks this list; a module that adds
 * an encrypted column adds it here, and seals its values with the same binding rotation uses:
 * `{ table, column, rowId: <idColumn as text>, organizationId: <organizationColumn as text> }`
 * (no organisation column: organizationId null).
 */
export interface EncryptedColumn {
	table: string;
	column: string;
	/** The row's primary key. */
	idColumn: string;
	/** The owning organisation, bound into each value so it cannot move to another organisation. */
	organizationColumn?: string;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
	{ table: 'users', column: 'totp_secret', idColumn: 'id' },
	{ table: 'users', column: 'totp_pending_secret', idColumn: 'id' },
	{ table: 'users', column: 'recovery_code_key', idColumn: 'id' },
	{ table: 'registrations', column: 'name_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'registrations', column: 'contact_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'registrations', column: 'needs_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	// Answers to a program's registration questions, one JSON document (issue 16).
	{ table: 'registrations', column: 'answers_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'registrations', column: 'line_recipient_sealed', idColumn: 'id', organizationColumn: 'organization_id' }, // issue 16: notices by LINE
	{ table: 'consultation_threads', column: 'nickname_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'consultation_threads', column: 'contact_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'consultation_messages', column: 'body_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'consultation_notes', column: 'body_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'line_people', column: 'user_id_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'consultation_secrets', column: 'value_sealed', idColumn: 'name' },
	{ table: 'consultation_rota', column: 'line_user_id_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'consents', column: 'values_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'provision_records', column: 'reason_sealed', idColumn: 'id', organizationColumn: 'provider_organization_id' },
	{ table: 'subject_requests', column: 'body_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	// Sealed for the receiving organisation alone.
	{ table: 'referral_items', column: 'value_sealed', idColumn: 'id', organizationColumn: 'to_organization_id' },
	// Both parties read the notes; bound to the receiving organisation.
	{ table: 'referral_events', column: 'note_sealed', idColumn: 'id', organizationColumn: 'to_organization_id' },
	{ table: 'case_conferences', column: 'agenda_sealed', idColumn: 'id', organizationColumn: 'organization_id' },
	{ table: 'conference_records', column: 'summary_sealed', idColumn: 'conference_id', organizationColumn: 'organization_id' },
	{ table: 'conference_records', column: 'minutes_sealed', idColumn: 'conference_id', organizationColumn: 'organization_id' },
	{ table: 'conference_actions', column: 'description_sealed', idColumn: 'id', organizationColumn: 'organization_id' }
];
