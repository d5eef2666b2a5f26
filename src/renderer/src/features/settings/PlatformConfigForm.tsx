import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Divider, Form, Input, InputNumber, Radio, Select, Space, Typography, type FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import type { PlatformConfigView } from '../../../../shared/platform-config';
import { checkForm, type PlatformFormValues } from './platform-form';

type Name = (string | number)[];

/** A rule that asks the shared schema about this one field, so messages come from one place. */
const schemaRule =
  (name: Name, view: PlatformConfigView | undefined): Rule =>
  (form) => ({
    validator: async () => {
      const result = checkForm(form.getFieldsValue(true) as PlatformFormValues, view);
      const hit = result.ok ? undefined : result.errors.find((e) => e.name.join('.') === name.join('.'));
      if (hit) throw new Error(hit.errors[0]);
    },
  });

interface Props {
  form: FormInstance<PlatformFormValues>;
  view: PlatformConfigView | undefined;
  disabled: boolean;
}

/** The settings fields; PlatformSettings owns loading, saving and the status above them. */
export function PlatformConfigForm({ form, view, disabled }: Props) {
  const field = (name: Name, label: string, input: React.ReactNode, extra?: string) => (
    <Form.Item name={name} label={label} extra={extra} rules={[schemaRule(name, view)]} validateFirst>
      {input}
    </Form.Item>
  );
  const mode = Form.useWatch('mode', form);
  const routing = Form.useWatch(['routing', 'kind'], form);
  const signing = Form.useWatch(['signing', 'kind'], form);
  const auth = Form.useWatch(['auth', 'kind'], form);

  return (
    <Form form={form} layout="horizontal" labelCol={{ flex: '160px' }} labelWrap disabled={disabled} style={{ maxWidth: 760 }}>
      <Form.Item name="mode" label="使用的平台">
        <Radio.Group
          options={[
            { value: 'demo', label: '演示平台（内置，数据为虚构）' },
            { value: 'configured', label: '省级医保平台（已配置地址）' },
          ]}
        />
      </Form.Item>
      {mode === 'demo' && view && !view.demoAvailable && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title="本次启动未运行演示平台：保存后请重启工作站，演示平台才会启动。" />
      )}
      {mode === 'configured' && (
        <>
          {field(['platformName'], '平台名称', <Input placeholder="例如：省医保信息平台（测试环境）" />)}
          {field(['baseUrl'], '平台地址', <Input placeholder="http://10.1.2.3:8080" />, '医保前置机或平台网关的地址，不含交易路径')}
        </>
      )}

      <Divider titlePlacement="start">交易路由</Divider>
      <Form.Item name={['routing', 'kind']} label="路由方式">
        <Radio.Group options={[{ value: 'single', label: '所有交易同一地址' }, { value: 'perTransaction', label: '按交易编号分路径' }]} />
      </Form.Item>
      {routing === 'single'
        ? field(['routing', 'path'], '交易路径', <Input />)
        : field(['routing', 'pathTemplate'], '路径模板', <Input />, '{infno} 处替换为交易编号，例如 /fsi/api/{infno}')}
      <Form.Item label="个别交易路径">
        <Form.List name={['routing', 'overrides']}>
          {(items, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {items.map((item) => (
                <Space key={item.key} align="start">
                  <Form.Item name={[item.name, 'infno']} rules={[schemaRule(['routing', 'overrides', item.name, 'infno'], view)]} noStyle>
                    <Input placeholder="交易编号" style={{ width: 110 }} aria-label="交易编号" />
                  </Form.Item>
                  <Form.Item name={[item.name, 'path']} rules={[schemaRule(['routing', 'overrides', item.name, 'path'], view)]} style={{ marginBottom: 0 }}>
                    <Input placeholder="/fsi/api/fileupload/upload" style={{ width: 320 }} aria-label="交易路径" />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(item.name)} aria-label="删除" />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ infno: '', path: '' })}>
                添加
              </Button>
            </Space>
          )}
        </Form.List>
      </Form.Item>
      {field(['timeouts', 'connectMs'], '连接超时', <InputNumber min={500} max={60_000} step={500} suffix="毫秒" style={{ width: 180 }} />)}
      {field(['timeouts', 'responseMs'], '应答超时', <InputNumber min={1_000} max={300_000} step={1_000} suffix="毫秒" style={{ width: 180 }} />, '超时的报文结果不明，同步时会先向平台核对再决定是否重发')}

      <Divider titlePlacement="start">机构与经办人</Divider>
      {field(['institution', 'fixmedins_code'], '定点医药机构编号', <Input maxLength={12} style={{ width: 220 }} />)}
      {field(['institution', 'fixmedins_name'], '定点医药机构名称', <Input />)}
      {field(['institution', 'mdtrtarea_admvs'], '就医地医保区划', <Input maxLength={6} style={{ width: 120 }} />)}
      {field(
        ['operator', 'opter_type'],
        '经办人类别',
        <Select style={{ width: 160 }} options={[{ value: '1', label: '1 经办人' }, { value: '2', label: '2 自助终端' }, { value: '3', label: '3 移动终端' }]} />,
      )}
      {field(['operator', 'opter'], '经办人编号', <Input style={{ width: 220 }} />)}
      {field(['operator', 'opter_name'], '经办人姓名', <Input style={{ width: 220 }} />)}

      <Divider titlePlacement="start">报文</Divider>
      {field(['recer_sys_code'], '接收方系统代码', <Input style={{ width: 160 }} />)}
      {field(['infver'], '接口版本号', <Input style={{ width: 120 }} />)}
      {field(['dev_no'], '设备编号', <Input style={{ width: 220 }} />)}
      {field(
        ['workstationSlot'],
        '工作站序号',
        <InputNumber min={0} max={9} style={{ width: 120 }} />,
        '同一医院的每台工作站取不同序号（0–9），报文ID才不会重复',
      )}
      {field(['recognitionInfno'], '互认记录交易编号', <Input style={{ width: 120 }} />, '省级扩展交易，以本省接口文档为准')}

      <Divider titlePlacement="start">签名与认证</Divider>
      <Form.Item name={['signing', 'kind']} label="报文签名">
        <Radio.Group options={[{ value: 'off', label: '不签名' }, { value: 'SM2', label: 'SM3withSM2 签名' }]} />
      </Form.Item>
      {signing === 'SM2' && (
        <>
          {field(['signing', 'userId'], '签名用户标识', <Input style={{ width: 220 }} />)}
          {field(['signing', 'format'], '签名格式', <Select style={{ width: 260 }} options={[{ value: 'raw-hex', label: 'r‖s 十六进制（128 位）' }, { value: 'der-base64', label: 'DER 编码，Base64' }]} />)}
          {field(
            ['secretsInput', 'sm2PrivateKey'],
            'SM2 私钥',
            <Input.Password autoComplete="off" placeholder={view?.secrets.sm2PrivateKey ? '已设置（留空则不修改）' : '64 位十六进制'} />,
            '私钥只保存在本机主进程（桌面版由操作系统加密），保存后不再显示',
          )}
          {view?.secrets.sm2PrivateKey && (
            <Form.Item name={['secretsInput', 'clearSm2PrivateKey']} valuePropName="checked" label=" " colon={false}>
              <Checkbox>清除已保存的私钥</Checkbox>
            </Form.Item>
          )}
          {view?.sm2PublicKey && (
            <Form.Item label="对应公钥">
              <Typography.Text copyable code style={{ wordBreak: 'break-all' }}>
                {view.sm2PublicKey}
              </Typography.Text>
            </Form.Item>
          )}
        </>
      )}
      <Form.Item name={['auth', 'kind']} label="平台认证">
        <Radio.Group options={[{ value: 'none', label: '无' }, { value: 'basic', label: 'HTTP 基本认证' }]} />
      </Form.Item>
      {auth === 'basic' && (
        <>
          {field(['auth', 'username'], '用户名', <Input style={{ width: 220 }} autoComplete="off" />)}
          {field(['secretsInput', 'password'], '密码', <Input.Password autoComplete="new-password" placeholder={view?.secrets.password ? '已设置（留空则不修改）' : ''} />)}
          {view?.secrets.password && (
            <Form.Item name={['secretsInput', 'clearPassword']} valuePropName="checked" label=" " colon={false}>
              <Checkbox>清除已保存的密码</Checkbox>
            </Form.Item>
          )}
        </>
      )}
      {view?.secretProtection === 'plain-file' && (signing === 'SM2' || auth === 'basic') && (
        <Alert type="info" showIcon title="浏览器模式（开发与测试）：密钥以明文保存在数据目录中，请勿填写真实密钥。" />
      )}
      {view?.secretProtection === 'unavailable' && (signing === 'SM2' || auth === 'basic') && (
        <Alert type="warning" showIcon title="本机操作系统未提供加密存储（Linux 需 gnome-libsecret 或 kwallet），无法保存平台密钥。" />
      )}
    </Form>
  );
}
