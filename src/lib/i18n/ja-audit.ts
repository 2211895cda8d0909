/** Japanese UI text for the audit screens (merged into ./ja.ts). */
export const auditJa = {
} as const;
