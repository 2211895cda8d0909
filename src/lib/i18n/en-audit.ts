import type { auditJa } from './ja-audit';

/** English UI text for the audit screens (merged into ./en.ts). */
export const auditEn: Record<keyof typeof auditJa, string> = {
};
