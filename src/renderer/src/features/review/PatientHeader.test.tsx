// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import shanxiJson from '../../../../../resources/policy/shanxi-2025.json';
import { fixClock } from '../../../../../test/fixtures/clock';
import { caseRow, person, REVIEW_NOW } from '../../../../../test/fixtures/review-case';
import { parsePolicyPack } from '../../../../shared/policy';
import { PatientHeader } from './PatientHeader';

// The header shows the person's age today: render it at the fixtures' instant, not the machine's.
let restoreClock: () => void;
beforeEach(() => {
  restoreClock = fixClock(REVIEW_NOW);
});
afterEach(() => {
  cleanup();
  restoreClock();
});

describe('PatientHeader', () => {
  it('names both diseases of an exclusion conflict and the rule’s source', () => {
    const parsed = parsePolicyPack(shanxiJson);
    if (!parsed.ok) throw new Error('pack');
    render(<PatientHeader pack={parsed.pack} caseRow={{ ...caseRow, diseaseCode: 'M90104', diseaseName: '慢性肾功能不全（CKD 3-5期）' }} person={person} heldCodes={['M90021']} />);
    expect(screen.getByText('尿毒症透析')).toBeTruthy();
    expect(document.body.textContent).not.toContain(person.certNo);
    expect(screen.getByText(/互斥病种：申请的「慢性肾功能不全（CKD 3-5期）」与已有的「尿毒症透析」不能同时享受（规则来源：004）/)).toBeTruthy();
  });
});
