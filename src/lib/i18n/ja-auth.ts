/** Japanese UI text for the auth screens (merged into ./ja.ts). */
export const authJa = {
} as const;
