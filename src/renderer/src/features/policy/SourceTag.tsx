import { Tag, Tooltip } from 'antd';
import { describeSource, isExample, type SourceDocument, type SourceRef } from '../../../../shared/policy';

/** Where a rule comes from: its document id, or 示例 (not yet confirmed by a region), with details on hover. */
export function SourceTag({ source, documents }: { source: SourceRef; documents: readonly SourceDocument[] }) {
  return (
    <Tooltip title={describeSource(source, documents)}>
      <Tag color={isExample(source) ? 'orange' : 'blue'} bordered={false}>
        {isExample(source) ? '示例' : `来源 ${source.doc}`}
      </Tag>
    </Tooltip>
  );
}
