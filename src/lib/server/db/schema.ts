/** Every module's tables, gathered for Drizzle's typed query builder. */
export * from '../directory/schema';
export * from '../auth/schema';
export * from '../network/schema';
export * from '../audit/schema';
export * from '../crypto/schema';
export * from '../events/schema';
export * from '../participation/schema';
export * from '../consultations/schema';
