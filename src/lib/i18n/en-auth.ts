import type { authJa } from './ja-auth';

/** English UI text for the auth screens (merged into ./en.ts). */
export const authEn: Record<keyof typeof authJa, string> = {
};
