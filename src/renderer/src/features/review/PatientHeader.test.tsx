// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import shanxiJson from '../../../../../resources/policy/shanxi-2025.json';
import { caseRow, person } from '../../../../../test/fixtures/review-case';
import { parsePolicyPack } from '../../../../shared/policy';
import { PatientHeader } from './PatientHeader';

afterEach(cleanup);

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
