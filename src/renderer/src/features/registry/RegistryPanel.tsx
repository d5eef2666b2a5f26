import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import type { PhysicianProfile } from '../../../../shared/domain/physician';
import { checkDepartmentQuota } from '../../../../shared/policy/physician';
import { KIND_LABELS, LEVEL_LABELS, TITLE_LABELS } from '../../../../shared/policy/schema';
import { getDb } from '../../db/db';
import { useSession } from '../auth/session';
import { INSTITUTION_KEY, useReviewContext } from '../cases/useReviewContext';
import { FlagDialog } from './FlagDialog';
import { PhysicianDetail } from './PhysicianDetail';
import { ProfileDrawer, type ProfileTarget } from './ProfileDrawer';
import { EligibilityCell, FlagCell, RegistryCell } from './RegistryCells';
import { AddRecordModal, InvalidateRecordModal } from './RecordDialogs';
import { canEditRegistry, listProfiles, physicianUsersWithoutProfile } from './registry-repo';
import './registry.css';
import {
  activeRecordIndexes,
  currentQualification,
  eligibilitySummary,
  LICENCE_LABELS,
  registryStatus,
  type Eligibility,
  type RegistryStatus,
} from './registry-status';
import { useToday } from '../../lib/useNow';

interface Row {
  profile: PhysicianProfile;
  status: RegistryStatus;
  eligibility: Eligibility;
  qualification: PhysicianProfile['paymentQualifications'][number] | null;
  hasAccount: boolean;
}

type Dialog =
  | { kind: 'profile'; target: ProfileTarget }
  | { kind: 'add'; profile: PhysicianProfile }
  | { kind: 'invalidate'; profile: PhysicianProfile; index: number }
  | { kind: 'flag'; profile: PhysicianProfile };

/**
 * 设置 → 认定医师: the certifying-physician registry (000, 002). Shows, per physician, the facts
 * checkPhysician reads and what it concludes today under the active pack; the 医保办 and
 * administrators edit profiles, add and invalidate registry records and decide refusal-limit flags.
 */
export function RegistryPanel() {
  const { user } = useSession();
  const { message } = App.useApp();
  const ctx = useReviewContext();
  const canEdit = canEditRegistry(user);
  const today = useToday();
  const profiles = useLiveQuery(() => listProfiles(getDb()), []);
  const users = useLiveQuery(() => getDb().users.toArray(), []);
  const candidates = useLiveQuery(() => physicianUsersWithoutProfile(getDb()), []);
  const institutionSaved = useLiveQuery(async () => (await getDb().settings.get(INSTITUTION_KEY)) !== undefined, []);
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const userNames = useMemo(() => new Map((users ?? []).map((u) => [u.id, u.displayName])), [users]);
  const rows = useMemo<Row[] | undefined>(() => {
    if (!profiles || !ctx) return undefined;
    return profiles.map((profile) => ({
      profile,
      status: registryStatus(profile, ctx.institution, today),
      eligibility: eligibilitySummary(ctx.pack, profile, ctx.institution, today),
      qualification: currentQualification(profile, today),
      hasAccount: userNames.has(profile.id),
    }));
  }, [profiles, ctx, today, userNames]);

  const crowded = useMemo(() => {
    if (!profiles || !ctx) return [];
    const registry = profiles.flatMap((p) => p.registry);
    const departments = [...new Set(registry.map((r) => r.department.trim()))];
    return departments.map((d) => checkDepartmentQuota(ctx.pack, registry, ctx.institution, d, today)).filter((q) => q.status === 'over');
  }, [profiles, ctx, today]);

  const flagged = rows?.filter((r) => r.profile.flag !== null) ?? [];
  const done = (text: string) => {
    setDialog(null);
    message.success(text);
  };
  const close = () => setDialog(null);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        认定医师库：在本院备案、可被分配认定案件的医师。执业类别、职称、科室、医保支付资格和备案状态由当前政策包
        {ctx ? `（${ctx.pack.title}）` : ''}逐项检查；到期和失效的记录保留，不删除。
        {ctx && (
          <>
            {' '}
            本院：{ctx.institution.name ?? '未命名'}（{ctx.institution.code ?? '无编码'}，{LEVEL_LABELS[ctx.institution.level]}
            {KIND_LABELS[ctx.institution.kind]}）
            {institutionSaved === false && (
              <Tooltip title="尚未在“本院信息”中保存本院的编码、等级和类别，当前使用演示假设。">
                <Tag color="orange" style={{ marginInlineStart: 8 }}>
                  演示假设
                </Tag>
              </Tooltip>
            )}
          </>
        )}
      </Typography.Paragraph>
      {!canEdit && <Alert type="info" showIcon title="只有医保办或管理员可以修改认定医师库。" />}
      {flagged.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={`${flagged.length} 名认定医师因连续拒绝或超时未受理被标记：${flagged.map((r) => r.profile.name).join('、')}`}
          description={canEdit ? '标记期间不参与随机抽取。请逐一“处理标记”：解除标记（写明理由）或取消其认定资格。' : '标记期间不参与随机抽取，待医保办处理。'}
        />
      )}
      {crowded.map((q) => (
        <Alert key={q.department} type="warning" showIcon title={q.message} />
      ))}
      {canEdit && (
        <Space wrap>
          <Button type="primary" icon={<PlusOutlined />} disabled={!ctx} onClick={() => setDialog({ kind: 'profile', target: { mode: 'create', candidates: candidates ?? [] } })}>
            新建认定医师资料
          </Button>
          <Typography.Text type="secondary">
            {candidates === undefined
              ? ''
              : candidates.length > 0
                ? `有 ${candidates.length} 个认定医师账户尚未建立资料。`
                : '所有认定医师账户都已建立资料；新增医师请先在“用户管理”中创建角色为“认定医师”的账户。'}
          </Typography.Text>
        </Space>
      )}
      <Table<Row>
        size="small"
        rowKey={(r) => r.profile.id}
        loading={!rows}
        dataSource={rows}
        pagination={rows && rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 1170 }}
        rowClassName={(r) => (r.profile.flag ? 'registry-row-flagged' : '')}
        expandable={{
          expandedRowRender: (r) => (
            <PhysicianDetail
              profile={r.profile}
              institutionCode={ctx?.institution.code}
              today={today}
              canEdit={canEdit}
              userNames={userNames}
              onAdd={() => setDialog({ kind: 'add', profile: r.profile })}
              onInvalidate={(index) => setDialog({ kind: 'invalidate', profile: r.profile, index })}
            />
          ),
        }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                <Space orientation="vertical" size={2}>
                  <span>尚无认定医师资料。</span>
                  <Typography.Text type="secondary">
                    第一步：管理员在“用户管理”中新建角色为“认定医师”的账户；第二步：在此点击“新建认定医师资料”，填写职称、科室、医保支付资格；第三步：展开该医师，新增认定医师库备案记录。
                  </Typography.Text>
                  <Typography.Text type="secondary">演示时也可在“演示数据”中载入虚构的医师名单。</Typography.Text>
                </Space>
              }
            />
          ),
        }}
        columns={[
          {
            title: '姓名',
            key: 'name',
            width: 120,
            fixed: 'left',
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{r.profile.name}</Typography.Text>
                {!r.hasAccount && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    无工作站账户
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          { title: '科室', key: 'department', width: 110, render: (_, r) => r.profile.department },
          {
            title: '职称 / 执业类别',
            key: 'title',
            width: 130,
            render: (_, r) => (
              <Space orientation="vertical" size={0}>
                <span>{TITLE_LABELS[r.profile.title]}</span>
                {r.profile.licence === 'assistant' ? (
                  <Typography.Text type="warning" style={{ fontSize: 12 }}>
                    {LICENCE_LABELS.assistant}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {LICENCE_LABELS.physician}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: '医保医师代码 / 资格期',
            key: 'qualification',
            width: 165,
            render: (_, r) =>
              r.qualification ? (
                <Space orientation="vertical" size={0}>
                  <span>{r.qualification.code ?? '未填代码'}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.qualification.from} 起{r.qualification.to ? `，至 ${r.qualification.to}` : ''}
                  </Typography.Text>
                </Space>
              ) : (
                <Typography.Text type="danger">{r.profile.paymentQualifications.length > 0 ? '医保支付资格已过期或未生效' : '未登记医保支付资格'}</Typography.Text>
              ),
          },
          { title: '认定医师库', key: 'registry', width: 175, render: (_, r) => <RegistryCell status={r.status} /> },
          { title: '认定资格（今日）', key: 'eligibility', width: 200, render: (_, r) => <EligibilityCell e={r.eligibility} /> },
          { title: '连续拒绝标记', key: 'flag', width: 170, render: (_, r) => <FlagCell flag={r.profile.flag} /> },
          ...(canEdit
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  width: 100,
                  fixed: 'right' as const,
                  render: (_: unknown, r: Row) => (
                    <Space orientation="vertical" size={0}>
                      {r.profile.flag && (
                        <Button size="small" type="link" danger onClick={() => setDialog({ kind: 'flag', profile: r.profile })}>
                          处理标记
                        </Button>
                      )}
                      <Button size="small" type="link" onClick={() => setDialog({ kind: 'profile', target: { mode: 'edit', profile: r.profile } })}>
                        编辑资料
                      </Button>
                      <Button size="small" type="link" onClick={() => setDialog({ kind: 'add', profile: r.profile })}>
                        新增备案
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {dialog?.kind === 'profile' && ctx && <ProfileDrawer target={dialog.target} pack={ctx.pack} actorId={user.id} onClose={close} onDone={done} />}
      {dialog?.kind === 'add' && ctx && profiles && (
        <AddRecordModal profile={dialog.profile} profiles={profiles} pack={ctx.pack} institution={ctx.institution} today={today} actorId={user.id} onClose={close} onDone={done} />
      )}
      {dialog?.kind === 'invalidate' && <InvalidateRecordModal profile={dialog.profile} index={dialog.index} today={today} actorId={user.id} onClose={close} onDone={done} />}
      {dialog?.kind === 'flag' && (
        <FlagDialog
          profile={dialog.profile}
          institutionCode={ctx?.institution.code}
          activeRecords={activeRecordIndexes(dialog.profile, ctx?.institution.code, today).length}
          actorId={user.id}
          onClose={close}
          onDone={done}
        />
      )}
    </Space>
  );
}
