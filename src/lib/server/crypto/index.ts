/**
 * Envelope encryption for sensitive free text (AES-256-GCM), the only door into crypto/.
 *
 *   const sealed = await encryptText(tx, note, { table: 'notes', column: 'body', rowId, organizationId });
 *   const note = await decryptText(tx, sealed, { table: 'notes', column: 'body', rowId, organizationId });
 *
 * Sealed values read `enc:v1:<data key id>:<base64url(iv | tag | ciphertext)>`; the binding
 * (table, column, row id, organisation) is authenticated, so a moved value does not decrypt.
 * Add every encrypted column to registry.ts so keys:rotate re-encrypts it. Node's own crypto
 * does all of this: no library is needed.
 */
export { encryptText, decryptText, isSealed, keyIdOf, DecryptionError, type SealContext } from './envelope';
export { KeyError, resetKeyCache, masterKeyFile, previousKeyFile, loadMasterKeys, createMasterKeyFile, type MasterKey, type MasterKeys } from './keys';
export { ENCRYPTED_COLUMNS, type EncryptedColumn } from './registry';
export { rotateKeys, type RotateOptions, type RotationReport } from './rotate';
