import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the module schemas and committed; the app applies them at start-up.
export default defineConfig({
	dialect: 'postgresql',
	schema: ['./src/lib/server/*/schema.ts'],
	out: './drizzle'
});
