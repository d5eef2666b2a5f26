import { SearchOutlined } from '@ant-design/icons';
import { Button, Col, DatePicker, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { INSUTYPES } from '../../../../shared/platform';
import { validateCertNo } from '../../../../shared/policy';
import { RESIDENT_ID } from '../../../../shared/review/intake-person';
import { insutypeLabels } from '../filings/PersonFields';

export type IntakeLookupBy = '02' | 'manual';

/** psn_cert_type as the desk needs it: the resident ID, or a document whose number says nothing about the person. */
const CERT_TYPES = [
  { value: RESIDENT_ID, label: '居民身份证' },
  { value: '90', label: '社会保障卡' },
  { value: '99', label: '其他证件' },
];

interface Props {
  lookupBy: IntakeLookupBy | undefined;
  certType: string | undefined;
  looking: boolean;
  onLookup: () => void;
  /** A line about what this workstation already knows of the person. */
  known: ReactNode;
}

/**
 * The 参保人 part of intake, as in 新建备案: found with 1101 by ID number (the fields then hold
 * what the platform said) or typed by hand when the platform cannot be reached — then psn_no may
 * stay empty until someone looks the person up. Unlike 备案, the ID number is always asked for:
 * the case and the case file are keyed on it.
 */
export function IntakePersonFields({ lookupBy, certType, looking, onLookup, known }: Props) {
  const manual = lookupBy === 'manual';
  const resident = (certType ?? RESIDENT_ID) === RESIDENT_ID;
  return (
    <>
      <Typography.Title level={5}>参保人</Typography.Title>
      <Row gutter={16}>
        <Col span={7}>
          <Form.Item name="lookupBy" label="录入方式">
            <Radio.Group optionType="button" options={[{ value: '02', label: '查询参保信息' }, { value: 'manual', label: '手工录入（离线）' }]} />
          </Form.Item>
        </Col>
        {manual && (
          <Col span={4}>
            <Form.Item name="certType" label="证件类型">
              <Select options={CERT_TYPES} />
            </Form.Item>
          </Col>
        )}
        <Col span={manual ? 9 : 11}>
          <Form.Item label={resident ? '身份证号' : '证件号码'} required>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item
                name="certNo"
                noStyle
                rules={[
                  { required: true, message: resident ? '请输入身份证号' : '请输入证件号码' },
                  {
                    validator: async (_, value?: string) => {
                      if (!resident || !value?.trim()) return;
                      const r = validateCertNo(value);
                      if (!r.valid) throw new Error(r.reason);
                    },
                  },
                ]}
              >
                <Input aria-label={resident ? '身份证号' : '证件号码'} autoComplete="off" onPressEnter={(e) => (e.preventDefault(), manual || onLookup())} />
              </Form.Item>
              {!manual && (
                <Button icon={<SearchOutlined />} loading={looking} onClick={onLookup}>
                  查询参保信息（1101）
                </Button>
              )}
            </Space.Compact>
          </Form.Item>
        </Col>
      </Row>
      {known && <div className="intake-known">{known}</div>}
      <Row gutter={16}>
        <Col span={6}>
          <Form.Item name="psnNo" label="个人编号" rules={[{ max: 30, message: '不超过 30 位' }]} extra={manual ? '离线时可暂缺，备案前须查询补齐' : undefined}>
            <Input readOnly={!manual} autoComplete="off" placeholder={manual ? '人员编号（psn_no）' : '查询后带出'} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 50, message: '不超过 50 字' }]}>
            <Input readOnly={!manual} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item name="insutype" label="险种类型" rules={[{ required: true, message: '请选择险种类型' }]}>
            <Select disabled={!manual} options={INSUTYPES.map((c) => ({ value: c, label: insutypeLabels[c] ?? c }))} />
          </Form.Item>
        </Col>
        <Col span={3}>
          <Form.Item name="regionCode" label="参保地区划" rules={[{ required: true, pattern: /^\d{6}$/, message: '应为 6 位数字' }]}>
            <Input readOnly={!manual} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="tel" label="联系电话" rules={[{ max: 50, message: '不超过 50 位' }]}>
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      {!resident && (
        <Row gutter={16}>
          <Col span={4}>
            <Form.Item name="gender" label="性别" rules={[{ required: true, message: '请选择性别' }]}>
              <Radio.Group options={[{ value: 'male', label: '男' }, { value: 'female', label: '女' }]} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="birthDate" label="出生日期" rules={[{ required: true, message: '请选择出生日期' }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      )}
    </>
  );
}
