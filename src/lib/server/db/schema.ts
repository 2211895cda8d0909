/** Every module's tables, gathered for Drizzle's typed query builder. */
export * from '../directory/schema';
