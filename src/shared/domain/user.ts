import { z } from 'zod';

/** Workstation roles (domain.md §2). */
export const roles = ['physician', 'office', 'admin'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  physician: '认定医师',
  office: '医保办',
  admin: '管理员',
};

// Login names are case-insensitive and typed at a keyboard: letters, digits, dot, dash, underscore.
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, '用户名至少 2 个字符')
  .max(32, '用户名最多 32 个字符')
  .regex(/^[a-z0-9._-]+$/, '用户名只能包含字母、数字、点、横线和下划线');

// 8 characters: the floor most hospital information-security rules (等保) set for local accounts.
export const newPasswordSchema = z.string().min(8, '密码至少 8 位').max(256, '密码最多 256 位');

export const displayNameSchema = z.string().trim().min(1, '请填写姓名').max(50, '姓名最多 50 个字符');

/** A workstation account as stored in IndexedDB. The hash comes from main (scrypt). */
export const userSchema = z.object({
  id: z.string().min(1),
  username: usernameSchema,
  displayName: displayNameSchema,
  role: z.enum(roles),
  passwordHash: z.string(),
  /** Physicians: the department they certify for (matched against a disease's departments). */
  department: z.string().max(50).optional(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  disabled: z.boolean(),
});
export type User = z.infer<typeof userSchema>;

/** What an administrator fills in to create an account. */
export const newUserSchema = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  role: z.enum(roles),
  password: newPasswordSchema,
  department: z.string().trim().max(50).optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

/** Idle lock: configurable, default 10 minutes (issue 2), between 1 and 120 minutes. */
export const IDLE_LOCK_DEFAULT_MINUTES = 10;
export const idleLockMinutesSchema = z.number().int().min(1, '至少 1 分钟').max(120, '最多 120 分钟');
