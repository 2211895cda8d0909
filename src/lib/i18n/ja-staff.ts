/** Japanese UI text for the staff screens (merged into ./ja.ts). */
export const staffJa = {
} as const;
