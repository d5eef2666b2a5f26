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
  /** Wrong passwords in a row since the last good one (see LOGIN_LOCKOUT). */
  failedLogins: z.number().int().min(0).optional(),
  /** Until when logins are refused after too many wrong passwords; null or absent when not locked. */
  lockedUntil: z.string().nullable().optional(),
  /** Set by an administrator's reset: the person must choose a new password at their next login. */
  mustChangePassword: z.boolean().optional(),
});
export type User = z.infer<typeof userSchema>;

/**
 * Login failure handling (等保 二级 asks for it): this many wrong passwords in a row lock the
 * account for this long. A workstation choice, not from a source document.
 */
export const LOGIN_LOCKOUT = { attempts: 5, minutes: 15 } as const;

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
