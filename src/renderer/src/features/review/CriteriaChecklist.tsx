import { Checkbox, Empty, Tag, Tooltip, Typography } from 'antd';
import { describeSource, findDisease, isExample } from '../../../../shared/policy';
import type { PolicyPack } from '../../../../shared/policy/schema';

interface Props {
  pack: PolicyPack;
  diseaseCode: string;
  checked: readonly string[];
  onChange: (ids: string[]) => void;
  disabled: boolean;
}

/**
 * The pack's admission criteria (准入标准) for the disease, ticked by the reviewer. Items no region
 * has confirmed are marked 示例 (domain.md §6), so nobody mistakes an example for policy.
 */
export function CriteriaChecklist({ pack, diseaseCode, checked, onChange, disabled }: Props) {
  const criteria = findDisease(pack, diseaseCode)?.disease.criteria ?? [];
  if (criteria.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="当前政策包未列出该病种的准入标准" />;
  const toggle = (id: string, on: boolean) => onChange(on ? [...checked, id] : checked.filter((c) => c !== id));
  return (
    <div className="criteria" aria-label="准入标准">
      {criteria.map((c) => (
        <div key={c.id} className="criteria-item">
          <Checkbox checked={checked.includes(c.id)} disabled={disabled} onChange={(e) => toggle(c.id, e.target.checked)}>
            {c.text}
          </Checkbox>
          <Tooltip title={describeSource(c.source, pack.sources)}>
            {isExample(c.source) ? (
              <Tag color="orange" variant="filled" className="criteria-source">
                示例
              </Tag>
            ) : (
              <Tag variant="filled" className="criteria-source">
                {c.source.doc}
              </Tag>
            )}
          </Tooltip>
        </div>
      ))}
      <Typography.Text type="secondary" className="panel-hint">
        已勾选 {checked.filter((id) => criteria.some((c) => c.id === id)).length} / {criteria.length} 项
      </Typography.Text>
    </div>
  );
}
