import { describe, expect, it } from 'vitest';
import { areaOf, reviewPlace } from './nav';

const OFFICE = ['/workbench', '/cases', '/intake', '/filings', '/files', '/sync', '/settings'];
const PHYSICIAN = ['/workbench', '/cases', '/files', '/sync', '/settings'];
const ADMIN = ['/workbench', '/intake', '/filings', '/files', '/sync', '/settings'];

describe('reviewPlace: where a case opened on the review page sits in the navigation', () => {
  it('opened from 工作台, 档案 or 同步: that entry is highlighted and 返回 leads back there', () => {
    expect(reviewPlace('/workbench', 'office', OFFICE)).toEqual({ section: '/workbench', back: '/workbench' });
    expect(reviewPlace('/files/p-1', 'physician', PHYSICIAN)).toEqual({ section: '/files', back: '/files/p-1' });
    expect(reviewPlace('/sync', 'physician', PHYSICIAN)).toEqual({ section: '/sync', back: '/sync' });
    expect(reviewPlace('/cases', 'office', OFFICE)).toEqual({ section: '/cases', back: '/cases' });
  });

  it('with no page before it (a reload, a typed link): the case’s own section for the role — 档案 for an administrator, who has no worklist', () => {
    expect(reviewPlace(null, 'physician', PHYSICIAN)).toEqual({ section: '/cases', back: '/cases' });
    expect(reviewPlace(null, 'office', OFFICE)).toEqual({ section: '/cases', back: '/cases' });
    expect(reviewPlace(null, 'admin', ADMIN)).toEqual({ section: '/files', back: '/files' });
    // A page the user cannot see (left from another user's session) does not count.
    expect(reviewPlace('/intake', 'physician', PHYSICIAN)).toEqual({ section: '/cases', back: '/cases' });
  });

  it('areaOf matches whole path segments only', () => {
    expect(areaOf('/settings/policy/calendar', OFFICE)).toBe('/settings');
    expect(areaOf('/casesx', OFFICE)).toBeUndefined();
    expect(areaOf('/cases/c-1', OFFICE)).toBe('/cases');
  });
});
