/** Moved to src/shared/platform/filing-message.ts: the hospital server builds filings too. */
export * from '../../../../shared/platform/filing-message';
