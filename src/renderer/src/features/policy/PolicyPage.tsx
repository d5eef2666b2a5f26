import { Alert, Descriptions, Input, Segmented, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { LEVEL_LABELS, TITLE_LABELS, type Disease, type PolicyPack, type Sourced, type SourceDocument } from '../../../../shared/policy';
import { useSession } from '../auth/session';
import { useHashRoute } from '../../lib/useHashRoute';
import { CalendarTab } from './CalendarTab';
import { PolicyAdmin } from './PolicyAdmin';
import { usePolicy } from './policy-store';
import { SourceTag } from './SourceTag';

const categoryLabel = { special: '特殊疾病', chronic: '慢性病' } as const;

function Val<T>({ item, docs, render }: { item: Sourced<T> | null; docs: SourceDocument[]; render?: (v: T) => React.ReactNode }) {
  if (!item) return <Typography.Text type="secondary">未规定</Typography.Text>;
  const shown = render ? render(item.value) : item.value === null ? '未规定' : String(item.value);
  return (
    <Space size={4}>
      <span>{shown}</span>
      <SourceTag source={item.source} documents={docs} />
    </Space>
  );
}

function DiseasesTab({ pack }: { pack: PolicyPack }) {
  const [category, setCategory] = useState<'all' | 'special' | 'chronic'>('all');
  const [query, setQuery] = useState('');
  const rows = useMemo(
    () =>
      pack.diseases.filter(
        (d) =>
          (category === 'all' || d.category === category) &&
          (!query || [d.name, d.code, ...d.aliases].some((s) => s.includes(query.trim()))),
      ),
    [pack, category, query],
  );
  const counts = { special: pack.diseases.filter((d) => d.category === 'special').length, chronic: pack.diseases.filter((d) => d.category === 'chronic').length };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Segmented
          value={category}
          onChange={(v) => setCategory(v as typeof category)}
          options={[
            { value: 'all', label: `全部 ${pack.diseases.length}` },
            { value: 'special', label: `特殊疾病 ${counts.special}` },
            { value: 'chronic', label: `慢性病 ${counts.chronic}` },
          ]}
        />
        <Input.Search allowClear placeholder="病种名称、代码或别名" onChange={(e) => setQuery(e.target.value)} style={{ width: 260 }} />
      </Space>
      <Table<Disease>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={false}
        scroll={{ y: 520 }}
        expandable={{
          expandedRowRender: (d) => (
            <Descriptions size="small" column={1}>
              <Descriptions.Item label="认定科室">{d.departments.value.join('、')}</Descriptions.Item>
              <Descriptions.Item label="医师职称要求">{d.minTitle ? `${TITLE_LABELS[d.minTitle.value]}及以上` : '按本包医师规则'}</Descriptions.Item>
              <Descriptions.Item label="申报材料">{d.requiredMaterials.map((m) => m.text).join('；') || '按本包材料规则'}</Descriptions.Item>
              <Descriptions.Item label="准入标准">
                <ul className="criteria-list">
                  {d.criteria.map((c) => (
                    <li key={c.id}>
                      {c.text} <SourceTag source={c.source} documents={pack.sources} />
                    </li>
                  ))}
                </ul>
              </Descriptions.Item>
              {d.variants.length > 0 && (
                <Descriptions.Item label="细分病种">{d.variants.map((v) => `${v.name}（${v.code}${v.codeVerified ? '' : '，待核实'}）`).join('；')}</Descriptions.Item>
              )}
            </Descriptions>
          ),
        }}
        columns={[
          { title: '病种名称', dataIndex: 'name', width: 260 },
          { title: '类别', dataIndex: 'category', width: 90, render: (c: Disease['category']) => <Tag color={c === 'special' ? 'volcano' : 'geekblue'}>{categoryLabel[c]}</Tag> },
          {
            title: '病种代码',
            dataIndex: 'code',
            width: 140,
            render: (code: string, d) => (
              <Space size={4}>
                <Typography.Text code>{code}</Typography.Text>
                {!d.codeVerified && <Tag bordered={false}>待核实</Tag>}
              </Space>
            ),
          },
          { title: '复审期限', key: 'term', width: 110, render: (_, d) => (d.reReviewTermMonths.value ? `${d.reReviewTermMonths.value} 个月` : '未规定') },
          { title: '别名', dataIndex: 'aliases', render: (a: string[]) => a.join('、') || '—' },
          { title: '来源', key: 'source', width: 100, render: (_, d) => <SourceTag source={d.source} documents={pack.sources} /> },
        ]}
      />
    </Space>
  );
}

function ExclusionsTab({ pack }: { pack: PolicyPack }) {
  const name = (code: string) => pack.diseases.find((d) => d.code === code || d.variants.some((v) => v.code === code));
  const label = (code: string) => {
    const d = name(code);
    const variant = d?.variants.find((v) => v.code === code);
    return variant?.name ?? d?.name ?? code;
  };
  if (pack.exclusions.length === 0) return <Alert type="info" showIcon message="本政策包未规定互斥病种。" />;
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={pack.exclusions}
      columns={[
        { title: '不能同时享受的病种', key: 'members', render: (_, r) => r.members.map(label).join(' × ') },
        { title: '例外', key: 'exceptions', render: (_, r) => r.exceptions.map((e) => e.label).join('；') || '—' },
        { title: '来源', key: 'source', width: 100, render: (_, r) => <SourceTag source={r.source} documents={pack.sources} /> },
      ]}
    />
  );
}

function ProcessTab({ pack }: { pack: PolicyPack }) {
  const p = pack.process;
  const docs = pack.sources;
  return (
    <Descriptions size="small" bordered column={1} style={{ maxWidth: 900 }}>
      <Descriptions.Item label="流程">
        <Val item={p.flow} docs={docs} render={(v) => v.join(' → ')} />
      </Descriptions.Item>
      <Descriptions.Item label="评审方式">{p.kind === 'random' ? '随机抽取专家' : '固定环节依次审核'}</Descriptions.Item>
      <Descriptions.Item label="评审环节">
        {p.stages.map((s) => (
          <div key={s.id}>
            {s.label}（{s.reviewers} 人{s.tieBreak ? `；意见不一致时由${s.tieBreak.label}决定` : ''}） <SourceTag source={s.source} documents={docs} />
          </div>
        ))}
      </Descriptions.Item>
      <Descriptions.Item label="接收时限">
        <Val item={p.acceptanceWindowHours} docs={docs} render={(v) => `${v} 小时内接受，否则改派`} />
      </Descriptions.Item>
      <Descriptions.Item label="连续拒绝上限">
        <Val item={p.refusalLimit} docs={docs} render={(v) => `连续拒绝或超时 ${v} 次取消专家资格`} />
      </Descriptions.Item>
      <Descriptions.Item label="办结时限">
        <Val item={p.completionLimitWorkingDays} docs={docs} render={(v) => `${v} 个工作日`} />
      </Descriptions.Item>
      <Descriptions.Item label="随时受理、及时办结">
        {p.handledAtOnce ? (
          <Space size={4}>
            {p.handledAtOnce.codes.map((c) => pack.diseases.find((d) => d.code === c)?.name ?? c).join('、')}
            <SourceTag source={p.handledAtOnce.source} documents={docs} />
          </Space>
        ) : (
          '未规定'
        )}
      </Descriptions.Item>
      <Descriptions.Item label="一次性告知">
        <Val item={p.oneTimeNotice} docs={docs} render={(v) => (v ? '材料不全时一次性告知全部所缺材料' : '否')} />
      </Descriptions.Item>
      <Descriptions.Item label="结果告知">
        <Val item={p.resultNotice} docs={docs} />
      </Descriptions.Item>
    </Descriptions>
  );
}

function MaterialsTab({ pack }: { pack: PolicyPack }) {
  const m = pack.materials;
  const docs = pack.sources;
  return (
    <Descriptions size="small" bordered column={1} style={{ maxWidth: 900 }}>
      <Descriptions.Item label="身份证明">
        <Val item={m.identityRequired} docs={docs} render={(v) => (v ? '身份证或社保卡复印件' : '不要求')} />
      </Descriptions.Item>
      <Descriptions.Item label="上传总大小">
        <Val item={m.maxTotalBytes} docs={docs} render={(v) => `不超过 ${Math.round(v / 1024 / 1024)} MB`} />
      </Descriptions.Item>
      <Descriptions.Item label="病历时限">
        {m.recordWindowMonths ? (
          <Space direction="vertical" size={0}>
            <Val item={m.recordWindowMonths.inpatient} docs={docs} render={(v) => `住院病历：近 ${v} 个月内`} />
            <Val item={m.recordWindowMonths.outpatient} docs={docs} render={(v) => `门诊病历：近 ${v} 个月内`} />
          </Space>
        ) : (
          '未规定'
        )}
      </Descriptions.Item>
      <Descriptions.Item label="每病种一份病历">
        <Val item={m.onePerDisease} docs={docs} render={(v) => (v ? '是' : '否')} />
      </Descriptions.Item>
      <Descriptions.Item label="加盖公章">
        <Val item={m.stampRequired} docs={docs} render={(v) => (v ? '需由就诊医院盖章' : '不要求')} />
      </Descriptions.Item>
      <Descriptions.Item label="异地长期居住备案表">
        <Val item={m.offSiteForm} docs={docs} render={(v) => (v ? '异地长期居住人员须提交' : '不要求')} />
      </Descriptions.Item>
    </Descriptions>
  );
}

function BenefitsTab({ pack }: { pack: PolicyPack }) {
  const b = pack.benefits;
  const docs = pack.sources;
  const r = pack.reReview;
  return (
    <Descriptions size="small" bordered column={1} style={{ maxWidth: 900 }}>
      <Descriptions.Item label="报销比例">
        <Val item={b.reimbursementRatio} docs={docs} render={(v) => (v === null ? '未规定' : `${Math.round(v * 100)}%`)} />
      </Descriptions.Item>
      <Descriptions.Item label="起付线">
        <Val item={b.deductible} docs={docs} render={(v) => (v === null ? '未规定' : v === 0 ? '不设起付线' : `${v} 元`)} />
      </Descriptions.Item>
      <Descriptions.Item label="慢性病限额周期">
        <Val item={b.chronicLimitPeriod} docs={docs} render={(v) => ({ month: '按月', quarter: '按季度', year: '按年' })[v]} />
      </Descriptions.Item>
      <Descriptions.Item label="多病种叠加">
        <Space size={4}>
          {b.stacking.kind === 'highest-plus-shares'
            ? `取最高限额，另加不超过 ${b.stacking.extraCount} 个病种各按 ${Math.round(b.stacking.extraShare * 100)}% 计`
            : '各病种按各自限额'}
          <SourceTag source={b.stacking.source} documents={docs} />
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label="长处方">
        <Val item={b.longPrescriptionMaxDays} docs={docs} render={(v) => `不超过 ${v} 天`} />
      </Descriptions.Item>
      <Descriptions.Item label="复审">
        <Val item={r.applyBeforeTermEnd} docs={docs} render={(v) => (v ? '到期前申请复审，复审期间待遇不中断' : '—')} />
      </Descriptions.Item>
      <Descriptions.Item label="无费用筛查">
        {r.inactivity ? (
          <Space size={4}>
            每年 {r.inactivity.screeningMonth} 月，连续 {r.inactivity.months} 个月无相关费用者转入复审
            <SourceTag source={r.inactivity.source} documents={docs} />
          </Space>
        ) : (
          '未规定'
        )}
      </Descriptions.Item>
      <Descriptions.Item label="异地就医调整">
        {pack.offSite?.adjustments.length
          ? pack.offSite.adjustments.map((a) => (
              <div key={`${a.scope}-${a.referral}`}>
                {a.scope === 'in-province' ? '省内异地' : '跨省'}
                {a.referral ? '（已转诊）' : '（未转诊）'}：降低 {a.points} 个百分点 <SourceTag source={a.source} documents={docs} />
              </div>
            ))
          : '未规定'}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** 设置 → 政策: anyone browses the active pack; administrators switch and import packs and calendars. */
export function PolicyPage() {
  const { user } = useSession();
  const state = usePolicy();
  // #/settings/policy/<tab>: the calendar notice links straight to 节假日日历.
  const [path, navigate] = useHashRoute('/settings/policy');
  if (!state) return <Spin />;
  const tab = path.split('/')[3] || 'diseases';
  const { pack } = state.entry;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {user.role === 'admin' && <PolicyAdmin state={state} />}
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label="政策包">{pack.title}</Descriptions.Item>
        <Descriptions.Item label="地区">
          {pack.region.name}
          {pack.region.code ? `（${pack.region.code}）` : ''}
        </Descriptions.Item>
        <Descriptions.Item label="版本">
          {pack.version}，{pack.effective.from} 起{pack.effective.to ? `至 ${pack.effective.to}` : ''}
        </Descriptions.Item>
        <Descriptions.Item label="机构认定范围" span={3}>
          {pack.institutions
            ? `慢性病：${pack.institutions.certify.chronic.levels.map((l) => LEVEL_LABELS[l]).join('、')}医院；特殊疾病：${pack.institutions.certify.special.levels.map((l) => LEVEL_LABELS[l]).join('、')}医院`
            : '未规定'}
        </Descriptions.Item>
      </Descriptions>
      {pack.notes.length > 0 && <Alert type="info" showIcon message={pack.notes.join(' ')} />}
      <Tabs
        size="small"
        activeKey={tab}
        onChange={(key) => navigate(`/settings/policy/${key}`)}
        items={[
          { key: 'diseases', label: '病种', children: <DiseasesTab pack={pack} /> },
          { key: 'exclusions', label: '互斥病种', children: <ExclusionsTab pack={pack} /> },
          { key: 'process', label: '流程与时限', children: <ProcessTab pack={pack} /> },
          { key: 'materials', label: '申报材料', children: <MaterialsTab pack={pack} /> },
          { key: 'benefits', label: '待遇与复审', children: <BenefitsTab pack={pack} /> },
          { key: 'calendar', label: '节假日日历', children: <CalendarTab state={state} /> },
        ]}
      />
    </Space>
  );
}
