import { deskOffline } from '../../hospital/desk-session';
import { Alert, App, Button, Checkbox, Input, Modal, Segmented, Typography } from 'antd';
import { forwardRef, useImperativeHandle, useState } from 'react';
import type { CaseRow } from '../../../../shared/domain/case';
import type { Assignment, Conclusion } from '../../../../shared/domain/review';
import type { User } from '../../../../shared/domain/user';
import { findDisease } from '../../../../shared/policy';
import { missingMaterialChoices } from '../../../../shared/review/conclude';
import { getDb } from '../../db/db';
import { errorText } from '../../lib/ipc';
import { verifyUserPassword } from '../auth/users-repo';
import type { ReviewContext } from '../cases/assignment-repo';
import { concludeAssignment } from '../cases/review-repo';
import { missingMaterialsNotice, VERDICT_LABELS } from './notice-text';

type Verdict = Conclusion['verdict'];

interface Props {
  ctx: ReviewContext;
  caseRow: CaseRow;
  assignment: Assignment;
  user: User;
  criteriaMet: readonly string[];
  onConcluded: (decided: boolean) => void;
}

export interface ConclusionHandle {
  /** The C shortcut: check the conclusion and ask for the password. */
  submit: () => void;
}

/**
 * 结论: 符合, 不符合 with a reason, or 需补充材料 with the missing items (shown as the one-time
 * notice). Confirmed with the reviewer's password, then sealed by concludeAssignment: immutable
 * and chained in the audit.
 */
export const ConclusionPanel = forwardRef<ConclusionHandle, Props>(function ConclusionPanel({ ctx, caseRow, assignment, user, criteriaMet, onConcluded }, ref) {
  const { message } = App.useApp();
  const [verdict, setVerdict] = useState<Verdict>('approve');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState('');
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const choices = missingMaterialChoices(ctx.pack, caseRow.diseaseCode);
  const missingTexts = choices.filter((c) => missing.includes(c.id)).map((c) => c.text);
  const criteria = findDisease(ctx.pack, caseRow.diseaseCode)?.disease.criteria ?? [];
  const ticked = criteria.filter((c) => criteriaMet.includes(c.id)).length;

  const conclusion = (): Conclusion =>
    verdict === 'approve' ? { verdict } : verdict === 'reject' ? { verdict, reason: reason.trim() } : { verdict, missingItems: missing };

  const submit = () => {
    const problems = [...(verdict === 'reject' && !reason.trim() ? ['请填写不符合的理由'] : []), ...(verdict === 'materials-missing' && missing.length === 0 ? ['请选择需补充的材料'] : [])];
    setErrors(problems);
    if (problems.length > 0) return;
    setPassword('');
    setPasswordError(null);
    setConfirming(true);
  };
  useImperativeHandle(ref, () => ({ submit }));

  const confirm = async () => {
    setSaving(true);
    try {
      if (!(await verifyUserPassword(user, password))) {
        setPasswordError('密码错误，结论未提交');
        return;
      }
      const r = await concludeAssignment(getDb(), ctx, { assignmentId: assignment.id, reviewer: { id: user.id, name: user.displayName, role: user.role }, conclusion: conclusion(), criteriaMet });
      if (!r.ok) {
        setPasswordError(r.message);
        return;
      }
      setConfirming(false);
      // Cut off from the server, the next stage is not known yet: say where the conclusion is.
      message.success(deskOffline() ? '结论已提交并保存在本机，连上院内服务器后自动发送' : r.value.decided ? '结论已提交，案件已办结' : '结论已提交，案件转入下一环节');
      onConcluded(r.value.decided);
    } catch (error) {
      setPasswordError(`未能提交：${errorText(error)}`);
    } finally {
      setSaving(false);
    }
  };

  const accepted = assignment.state === 'accepted';
  return (
    <div className="conclusion" aria-label="结论">
      <Segmented<Verdict>
        block
        value={verdict}
        onChange={(v) => (setVerdict(v), setErrors([]))}
        options={(['approve', 'reject', 'materials-missing'] as const).map((v) => ({ value: v, label: VERDICT_LABELS[v] }))}
      />
      {verdict === 'reject' && <Input.TextArea aria-label="不符合的理由" rows={3} maxLength={500} placeholder="不符合的理由（必填），如：未见靶器官损害证据" value={reason} onChange={(e) => setReason(e.target.value)} />}
      {verdict === 'materials-missing' && (
        <>
          <Checkbox.Group className="missing-items" value={missing} onChange={(v) => setMissing(v as string[])} options={choices.map((c) => ({ value: c.id, label: c.text }))} />
          {missingTexts.length > 0 && (
            <div className="notice-preview" aria-label="一次性告知书">
              <Typography.Text type="secondary">一次性告知书（办结后打印或短信告知申请人）</Typography.Text>
              <pre>{missingMaterialsNotice(caseRow, missingTexts, ctx.institution.name)}</pre>
            </div>
          )}
        </>
      )}
      {errors.length > 0 && <Alert type="error" showIcon title={errors.join('；')} />}
      <Button type="primary" block disabled={!accepted} onClick={submit}>
        提交结论（C）
      </Button>
      {!accepted && <Typography.Text type="secondary">受理后才能作出结论</Typography.Text>}
      <Modal open={confirming} title="确认结论" okText="确认提交" cancelText="取消" onOk={() => void confirm()} confirmLoading={saving} onCancel={() => setConfirming(false)} destroyOnHidden>
        <Typography.Paragraph>
          结论：<Typography.Text strong>{VERDICT_LABELS[verdict]}</Typography.Text>
          {verdict === 'reject' && `（${reason.trim()}）`}
          {verdict === 'materials-missing' && `（${missingTexts.join('、')}）`}
        </Typography.Paragraph>
        {criteria.length > 0 && (
          <Typography.Paragraph type={verdict === 'approve' && ticked < criteria.length ? 'warning' : 'secondary'}>
            准入标准已勾选 {ticked} / {criteria.length} 项{verdict === 'approve' && ticked < criteria.length ? '，请确认未勾选的标准不影响“符合”的结论' : ''}
          </Typography.Paragraph>
        )}
        <Typography.Paragraph type="secondary">结论提交后不可修改，并记入审计链。请输入您的登录密码确认。</Typography.Paragraph>
        <Input.Password aria-label="登录密码" autoFocus value={password} onChange={(e) => (setPassword(e.target.value), setPasswordError(null))} onPressEnter={() => void confirm()} />
        {passwordError && <Alert className="dialog-errors" type="error" showIcon title={passwordError} />}
      </Modal>
    </div>
  );
});
