import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Divider, Form, Input, InputNumber, Radio, Select, Space, Tag, Typography, type FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import type { PlatformConfigView, PlatformSecretName } from '../../../../shared/platform-config';
import { DIALECT_PRESET_LABELS, DIALECT_PRESET_NAMES, dialectPreset, type DialectPresetName } from '../../../../shared/platform/dialect';
import { checkForm, dialectAdjusted, dialectToForm, type DialectFormValues, type PlatformFormValues } from './platform-form';

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
  const auth = Form.useWatch(['dialect', 'auth', 'kind'], form);
  const security = Form.useWatch(['dialect', 'security', 'kind'], form);
  const keySource = Form.useWatch(['dialect', 'security', 'keySource'], form);
  const signIn = Form.useWatch(['dialect', 'signIn', 'policy'], form);
  // The whole stored dialect (parts without a field, such as the answer types, included), on every change.
  const dialect = Form.useWatch(() => form.getFieldValue('dialect') as DialectFormValues | undefined, form);
  const adjusted = Form.useWatch(() => dialectAdjusted(form.getFieldValue('dialect') as DialectFormValues | undefined), form) ?? false;
  /** A write-only secret: placeholder says whether one is stored; a box clears it. */
  const secretField = (name: PlatformSecretName, label: string, placeholder = '', extra?: string) => (
    <>
      {field(
        ['secretsInput', name],
        label,
        <Input.Password autoComplete="new-password" placeholder={view?.secrets[name] ? '已设置（留空则不修改）' : placeholder} />,
        extra,
      )}
      {view?.secrets[name] && (
        <Form.Item name={['secretsInput', `clear:${name}`]} valuePropName="checked" label=" " colon={false}>
          <Checkbox>清除已保存的{label}</Checkbox>
        </Form.Item>
      )}
    </>
  );

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
      {mode === 'demo' && view?.demoDialect && dialect && view.demoDialect !== dialect.preset && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={`演示平台当前以「${DIALECT_PRESET_LABELS[view.demoDialect]}」方言运行；所选方言保存后，重启工作站时演示平台随之改用。`}
        />
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
      {mode === 'configured' && (
        <>
          {field(['routing', 'secondBaseUrl'], '第二平台地址', <Input placeholder="可不填，例如 http://10.1.2.4:8080" />, '个别省份的部分交易（如文件上传下载）在另一地址')}
          {field(['routing', 'secondBaseInfnos'], '使用第二地址的交易', <Input placeholder="例如 9101, 9102" style={{ width: 260 }} />)}
        </>
      )}
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

      <Divider titlePlacement="start">平台方言</Divider>
      <Form.Item label="方言" extra="各省平台在认证、加密签名、签到等方面的做法不同；先选本省的预设，再按接口文档调整。">
        <Space>
          <Form.Item name={['dialect', 'preset']} noStyle>
            <Select
              style={{ width: 300 }}
              aria-label="方言"
              options={DIALECT_PRESET_NAMES.map((name) => ({ value: name, label: DIALECT_PRESET_LABELS[name] }))}
              onChange={(name: DialectPresetName) => form.setFieldValue('dialect', dialectToForm(dialectPreset(name)))}
            />
          </Form.Item>
          {adjusted && <Tag color="blue">已按本省调整</Tag>}
        </Space>
      </Form.Item>

      <Form.Item name={['dialect', 'auth', 'kind']} label="平台认证">
        <Radio.Group
          options={[
            { value: 'none', label: '无' },
            { value: 'basic', label: 'HTTP 基本认证' },
            { value: 'oauth2', label: 'OAuth2 令牌' },
            { value: 'tif', label: 'TIF 网关签名' },
          ]}
        />
      </Form.Item>
      {auth === 'oauth2' && (
        <>
          {field(['dialect', 'auth', 'tokenPath'], '令牌路径', <Input style={{ width: 260 }} />, '平台地址 + 此路径用于获取访问令牌')}
          {field(['dialect', 'auth', 'clientId'], '客户端编号', <Input style={{ width: 260 }} autoComplete="off" />, '即 client_id；吉林等省份同时以它作为 SM4 密钥（须 16 字节）')}
          {secretField('clientSecret', '客户端密钥')}
        </>
      )}
      {(auth === 'basic' || auth === 'oauth2') && (
        <>
          {field(['dialect', 'auth', 'username'], '用户名', <Input style={{ width: 220 }} autoComplete="off" />)}
          {secretField('password', '密码')}
        </>
      )}
      {auth === 'tif' && (
        <>
          {field(['dialect', 'auth', 'paasid'], 'paasid', <Input style={{ width: 260 }} autoComplete="off" />, '本院在网关登记的编号')}
          {secretField('tifToken', '网关令牌')}
          {field(['dialect', 'auth', 'maxSkewSeconds'], '允许时间误差', <InputNumber min={10} max={3600} suffix="秒" style={{ width: 160 }} />, '本机时间与网关相差超过此值时，网关拒绝请求')}
        </>
      )}

      <Form.Item name={['dialect', 'security', 'kind']} label="加密与签名">
        <Radio.Group
          options={[
            { value: 'none', label: '不签名' },
            { value: 'envelope-sm2', label: 'SM2 签整个报文' },
            { value: 'sm4-input', label: 'SM4 加密入参 + SM2 签入参' },
          ]}
        />
      </Form.Item>
      {security !== undefined && security !== 'none' && (
        <>
          {field(['dialect', 'security', 'userId'], '签名用户标识', <Input style={{ width: 220 }} />)}
          {security === 'envelope-sm2'
            ? field(['dialect', 'security', 'envelopeFormat'], '签名格式', <Select style={{ width: 260 }} options={[{ value: 'raw-hex', label: 'r‖s 十六进制（128 位）' }, { value: 'der-base64', label: 'DER 编码，Base64' }]} />)
            : field(['dialect', 'security', 'sm4Format'], '签名格式', <Select style={{ width: 260 }} options={[{ value: 'raw-base64', label: 'r‖s 64 字节，Base64' }, { value: 'raw-hex', label: 'r‖s 十六进制（128 位）' }, { value: 'der-base64', label: 'DER 编码，Base64' }]} />)}
          {security === 'sm4-input' && (
            <Form.Item name={['dialect', 'security', 'keySource']} label="SM4 密钥">
              <Radio.Group options={[{ value: 'client-id', label: '以客户端编号为密钥' }, { value: 'secret', label: '单独设置' }]} />
            </Form.Item>
          )}
          {security === 'sm4-input' && keySource === 'secret' && secretField('sm4Key', 'SM4 密钥值', '32 位十六进制')}
          {secretField('sm2PrivateKey', 'SM2 私钥', '64 位十六进制', '私钥只保存在本机主进程（桌面版由操作系统加密），保存后不再显示')}
          {view?.sm2PublicKey && (
            <Form.Item label="对应公钥">
              <Typography.Text copyable code style={{ wordBreak: 'break-all' }}>
                {view.sm2PublicKey}
              </Typography.Text>
            </Form.Item>
          )}
          {field(['dialect', 'security', 'platformPublicKey'], '平台公钥', <Input placeholder="04 开头，130 位十六进制（可不填）" />, '填写后，工作站验证平台应答的签名')}
        </>
      )}

      <Form.Item name={['dialect', 'signIn', 'policy']} label="签到（9001）">
        <Radio.Group options={[{ value: 'required', label: '每笔交易需签到' }, { value: 'none', label: '平台不要求签到' }]} />
      </Form.Item>
      {signIn === 'required' && (
        <>
          {field(['dialect', 'signIn', 'lifetimeSeconds'], '签到有效期', <InputNumber min={0} max={604800} suffix="秒" style={{ width: 180 }} />, '超过后重新签到；0 表示直到平台提示过期')}
          <Form.Item name={['dialect', 'signIn', 'againOnOperatorChange']} valuePropName="checked" label=" " colon={false}>
            <Checkbox>更换经办人时重新签到</Checkbox>
          </Form.Item>
        </>
      )}
      <Form.Item name={['dialect', 'msgid', 'style']} label="报文ID格式">
        <Radio.Group options={[{ value: 'sequence', label: '时间 + 4 位顺序号（国家标准）' }, { value: 'millisecond', label: '时间 + 毫秒 + 工作站序号' }]} />
      </Form.Item>
      <Form.Item name={['dialect', 'uploadContentType']} label="9101 上传方式">
        <Radio.Group options={[{ value: 'application/json', label: 'JSON（文件为 Base64）' }, { value: 'multipart/form-data', label: 'multipart（jsonStr + 文件）' }]} />
      </Form.Item>
      <Form.Item name={['dialect', 'downloadContentType']} label="9102 请求类型">
        <Radio.Group options={[{ value: 'application/json', label: 'application/json' }, { value: 'text/plain', label: 'text/plain' }]} />
      </Form.Item>
      <Form.Item name={['dialect', 'catalogueZipped']} valuePropName="checked" label=" " colon={false}>
        <Checkbox>病种目录（1309）以 zip 压缩包下发</Checkbox>
      </Form.Item>
      {view?.secretProtection === 'plain-file' && (security !== 'none' || auth !== 'none') && (
        <Alert type="info" showIcon title="浏览器模式（开发与测试）：密钥以明文保存在数据目录中，请勿填写真实密钥。" />
      )}
      {view?.secretProtection === 'unavailable' && (security !== 'none' || auth !== 'none') && (
        <Alert type="warning" showIcon title="本机操作系统未提供加密存储（Linux 需 gnome-libsecret 或 kwallet），无法保存平台密钥。" />
      )}
    </Form>
  );
}
