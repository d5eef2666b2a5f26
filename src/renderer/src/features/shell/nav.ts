import type { Role } from '../../../../shared/domain/user';

/** The case id of a review page address (#/cases/<caseId>), if it is one. */
export const reviewedCase = (path: string): string | undefined => /^\/cases\/([^/]+)$/.exec(path)?.[1];

/** The navigation entry an address belongs to: the longest visible area path it starts with. */
export function areaOf(path: string, visible: readonly string[]): string | undefined {
  return visible.filter((a) => path === a || path.startsWith(`${a}/`)).sort((a, b) => b.length - a.length)[0];
}

/**
 * A case's own section when nobody says where it was opened from (a reload, a link typed in):
 * the worklist for those who have one (待审案件, 院内复核), else 档案, where every case is found.
 */
export function caseHomeSection(role: Role, visible: readonly string[]): string {
  const home = role === 'physician' || role === 'office' ? '/cases' : '/files';
  return visible.includes(home) ? home : (visible[0] ?? '/workbench');
}

/**
 * Where a review page (#/cases/<id>) sits in the navigation and where 返回 leads: the page it was
 * opened from (工作台, 档案 with the person's file, 同步, the worklist), when that area is the
 * user's; otherwise the case's own section.
 */
export function reviewPlace(from: string | null, role: Role, visible: readonly string[]): { section: string; back: string } {
  const area = from && !reviewedCase(from) ? areaOf(from, visible) : undefined;
  if (from && area) return { section: area, back: from };
  const home = caseHomeSection(role, visible);
  return { section: home, back: home };
}
