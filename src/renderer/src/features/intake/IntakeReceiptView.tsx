import { Alert, Button, Descriptions, Result, Typography } from 'antd';
import type { IntakeReceipt } from './intake-repo';
import { DeadlineText } from '../cases/DeadlineText';

/** The receipt as the desk shows it: the server's answer, or the desk's own while the command waits to be sent. */
export type ShownReceipt = IntakeReceipt & { caseNo?: string; awaitingServer?: boolean };

interface Props {
  receipt: ShownReceipt;
  /** The pack's completion limit in working days (002/004: 20), when it sets one. */
  limitDays: number | null;
  onNext: () => void;
  onOpenFile: () => void;
}

/** Where the advice for an unassigned case sends the clerk. */
export const UNASSIGNED_ADVICE = '请到 设置 → 认定医师 检查该病种对应科室的认定医师（注册备案、职称、医保支付资格是否有效，是否被暂停），补齐后在本页“待分配的申请”中重新分配。';

/** After 受理: the case number, the completion deadline and who has the case now — or, loudly, that nobody does. */
export function IntakeReceiptView({ receipt, limitDays, onNext, onOpenFile }: Props) {
  const waiting = receipt.awaitingServer === true;
  const unassigned = !waiting && receipt.offeredTo.length === 0;
  return (
    <Result
      status={unassigned || waiting ? 'warning' : 'success'}
      title={`已受理：${receipt.personName} · ${receipt.diseaseName}`}
      subTitle={
        <>
          案件编号 <Typography.Text copyable>{receipt.caseNo ?? receipt.caseId}</Typography.Text>
          {waiting && '（院内服务器编号待连上后给出）'}
        </>
      }
      extra={[
        <Button key="next" type="primary" onClick={onNext}>
          继续受理
        </Button>,
        <Button key="file" onClick={onOpenFile}>
          查看档案
        </Button>,
      ]}
    >
      <Descriptions
        size="small"
        column={2}
        bordered
        items={[
          { key: 'received', label: '受理日期', children: receipt.receivedOn },
          { key: 'due', label: '办结时限', children: receipt.due.kind === 'none' ? '本地区未设办结时限' : <DeadlineText due={receipt.due} limitDays={limitDays} /> },
          { key: 'stage', label: '当前环节', children: receipt.stageLabel || '—' },
          {
            key: 'to',
            label: '已分配给',
            children: waiting ? (
              <Typography.Text type="warning">已保存在本机，连上院内服务器后抽取认定医师</Typography.Text>
            ) : unassigned ? (
              <Typography.Text type="danger">无人（待分配）</Typography.Text>
            ) : (
              receipt.offeredTo.map((o) => o.name).join('、')
            ),
          },
          { key: 'materials', label: '申请材料', children: receipt.materials > 0 ? `${receipt.materials} 份` : '未上传' },
        ]}
      />
      {unassigned && (
        <Alert
          type="error"
          showIcon
          className="intake-alert"
          title="没有找到符合条件的认定医师，案件暂为“待分配”，还没有人在审核"
          description={`${receipt.unassignedReason ?? ''}。${UNASSIGNED_ADVICE}`}
        />
      )}
      {receipt.warnings.map((w) => (
        <Alert key={w} type="warning" showIcon className="intake-alert" title={w} />
      ))}
    </Result>
  );
}
