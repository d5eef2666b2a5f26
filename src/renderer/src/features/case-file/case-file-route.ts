/** The 档案 area's routes: `#/files` to search, `#/files/<personId>` for one person's file. */
export const CASE_FILE_BASE = '/files';

/** The person a route names, or null (the review page links to `#/files/<personId>`). */
export function personIdOf(path: string): string | null {
  if (!path.startsWith(`${CASE_FILE_BASE}/`)) return null;
  try {
    return decodeURIComponent(path.slice(CASE_FILE_BASE.length + 1)) || null;
  } catch {
    // A hand-typed malformed escape names nobody rather than breaking the page.
    return null;
  }
}

/** The route of a person's case file, for links from other pages. */
export const caseFileRoute = (personId: string): string => `${CASE_FILE_BASE}/${encodeURIComponent(personId)}`;

/** The review page of one case (the shell routes `#/cases/<caseId>` there for every role). */
export const caseRoute = (caseId: string): string => `/cases/${encodeURIComponent(caseId)}`;
