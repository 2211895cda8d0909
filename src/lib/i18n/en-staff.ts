import type { staffJa } from './ja-staff';

/** English UI text for the staff screens (merged into ./en.ts). */
export const staffEn: Record<keyof typeof staffJa, string> = {
};
