import type { Rule } from 'antd/es/form';

// Form rules for account fields; the same limits as src/shared/domain/user.ts, which stays the
// authority (createUser re-checks with the schema).
export const displayNameRules: Rule[] = [{ required: true, whitespace: true, message: '请填写姓名' }];
export const usernameRules: Rule[] = [
  { required: true, message: '请填写用户名' },
  { pattern: /^[A-Za-z0-9._-]{2,32}$/, message: '2–32 位字母、数字、点、横线或下划线' },
];
export const newPasswordRules: Rule[] = [{ required: true, min: 8, message: '密码至少 8 位' }];

/** The repeated password: required, and the same as the one in `field`. */
export const confirmPasswordRules = (field: string, again = '请再次输入密码'): Rule[] => [
  { required: true, message: again },
  ({ getFieldValue }) => ({
    validator: (_, value) => (!value || getFieldValue(field) === value ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))),
  }),
];
