import { SearchOutlined } from '@ant-design/icons';
import { Button, Col, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { INSUTYPES } from '../../../../shared/platform';
import type { LookupBy } from './person-lookup';

// 险种类型 names as domain.md §5 gives them; the other codes are shown as codes.
export const insutypeLabels: Record<string, string> = {
  '310': '310 职工基本医疗保险',
  '320': '320 公务员医疗补助',
  '330': '330 大额医疗费用补助',
  '340': '340 离休人员医疗保障',
  '390': '390 城乡居民基本医疗保险',
};

export interface PersonFieldsProps {
  lookupBy: LookupBy | 'manual' | undefined;
  looking: boolean;
  onLookup: () => void;
}

/**
 * The 参保人 part of the filing form: found with 1101 (by ID number or a scanned e-voucher — the
 * fields then hold what the platform said) or entered by hand when the platform cannot be reached.
 */
export function PersonFields({ lookupBy, looking, onLookup }: PersonFieldsProps) {
  const manual = lookupBy === 'manual';
  return (
    <>
      <Typography.Title level={5}>参保人</Typography.Title>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="lookupBy" label="查询方式">
            <Radio.Group optionType="button" options={[{ value: '02', label: '身份证号' }, { value: '01', label: '医保电子凭证' }, { value: 'manual', label: '手工录入' }]} />
          </Form.Item>
        </Col>
        {!manual && (
          <Col span={10}>
            <Form.Item label={lookupBy === '01' ? '电子凭证码' : '身份证号'}>
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item name="certNo" noStyle>
                  <Input aria-label={lookupBy === '01' ? '电子凭证码' : '身份证号'} onPressEnter={(e) => (e.preventDefault(), onLookup())} autoComplete="off" />
                </Form.Item>
                <Button icon={<SearchOutlined />} loading={looking} onClick={onLookup}>
                  查询（1101）
                </Button>
              </Space.Compact>
            </Form.Item>
          </Col>
        )}
      </Row>
      <Row gutter={16}>
        <Col span={6}>
          <Form.Item name="psnNo" label="人员编号" rules={[{ required: true, message: '请查询或录入人员编号' }]}>
            <Input readOnly={!manual} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="psnName" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input readOnly={!manual} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="insutype" label="险种类型" rules={[{ required: true }]}>
            <Select disabled={!manual} options={INSUTYPES.map((c) => ({ value: c, label: insutypeLabels[c] ?? c }))} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="insuplcAdmdvs" label="参保地区划" rules={[{ required: true, pattern: /^\d{6}$/, message: '应为 6 位数字区划代码' }]}>
            <Input readOnly={!manual} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
