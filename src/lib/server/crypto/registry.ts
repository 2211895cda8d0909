/**
 * Every column that holds envelope-encrypted text. Rotation walks this list; a module that adds
 * an encrypted column adds it here (the organisation column, when there is one, is bound into
 * each value so a ciphertext cannot be moved to another organisation's row).
 */
export interface EncryptedColumn {
	table: string;
	column: string;
	idColumn: string;
	organizationColumn?: string;
}

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [{ table: 'users', column: 'totp_secret', idColumn: 'id' }];
