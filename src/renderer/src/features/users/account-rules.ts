import type { Rule } from 'antd/es/form';

// Form rules for account fields; the same limits as src/shared/domain/user.ts, which stays the
// authority (createUser re-checks with the schema).
export const displayNameRules: Rule[] = [{ required: true, whitespace: true, message: '请填写姓名' }];
export const usernameRules: Rule[] = [
  { required: true, message: '请填写用户名' },
  { pattern: /^[A-Za-z0-9._-]{2,32}$/, message: '2–32 位字母、数字、点、横线或下划线' },
];
export const newPasswordRules: Rule[] = [{ required: true, min: 8, message: '密码至少 8 位' }];
