/**
 * The one way to handle dates (see dates.ts and china-time.ts): China-time "today", day and
 * month arithmetic, and formatting. Nothing else in the project counts days from a `Date`; an
 * ESLint rule (eslint.config.js, "date arithmetic") keeps it so.
 */
export * from './dates';
export * from './china-time';
