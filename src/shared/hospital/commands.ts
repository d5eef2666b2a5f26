/**
 * What each command carries (the `payload` of protocol.ts's commands), one schema per kind. A desk
 * builds commands with these; the server refuses a payload that does not parse, before any rule
 * runs. Who may send each kind is the server's business (src/server/commands.ts).
 */
import { z } from 'zod';
import { MAX_BATCH } from './filings';
import { materialKindSchema } from '../domain/material';
import { titleRankSchema } from '../domain/physician';
import { conclusionSchema } from '../domain/review';
import { recognitionDecisionSchema } from '../domain/recognition';
import { institutionKindSchema, institutionLevelSchema } from '../policy/vocabulary';
import { displayNameSchema, newPasswordSchema, roles, usernameSchema } from '../domain/user';

const id = z.string().min(1).max(120);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const filingReason = z.string().trim().min(2, '请写明原因').max(200);

const intakePersonSchema = z.object({
  certType: z.string().min(1).max(4),
  certNo: z.string().min(1).max(40),
  name: z.string().min(1).max(50),
  psnNo: z.string().max(40).nullable(),
  insutype: z.string().max(10),
  regionCode: z.string().max(12),
  gender: z.enum(['male', 'female']).optional(),
  birthDate: isoDate.optional(),
  tel: z.string().max(30).optional(),
  addr: z.string().max(200).optional(),
});

export const intakeMaterialSchema = z.object({
  kind: materialKindSchema,
  fileName: z.string().min(1).max(200),
  mime: z.string().max(100),
  size: z.number().int().min(0),
  documentDate: isoDate.nullable(),
  sourceInstitution: z.string().max(100),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  stamped: z.boolean(),
  attachmentId: z.string().nullable(),
});

/**
 * The registry forms' input (src/shared/cases/registry.ts checks dates and required fields with
 * the 医保办's wording; these only bound the sizes).
 */
const registryText = z.string().max(100);
const registryDate = z.string().max(10);
const registryReason = z.string().max(1000);

const profileInputSchema = z.object({
  licence: z.enum(['physician', 'assistant']),
  title: titleRankSchema,
  department: registryText,
  practiceScopes: z.array(registryText).max(50),
  paymentQualifications: z.array(z.object({ code: z.string().max(40).optional(), from: registryDate, to: registryDate.nullable() })).max(50),
});

const newRegistryRecordSchema = z.object({
  institutionCode: z.string().max(40),
  department: registryText,
  registeredOn: registryDate,
  expiresOn: registryDate.nullable(),
});

export const commandPayloads = {
  /** 受理申请: the person, the disease, the materials (bytes uploaded first, by hash). The server draws. */
  'case.take': z.object({
    person: intakePersonSchema,
    diseaseCode: z.string().min(1).max(20),
    kind: z.enum(['first', 're-review']),
    receivedOn: isoDate.optional(),
    waive: z.array(z.string().max(60)).max(10).optional(),
    materials: z.array(intakeMaterialSchema).max(200).optional(),
  }),
  /** A scan's bytes attached to a material already on the case (uploaded first, by hash). */
  'material.attach': z.object({ materialId: id, sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().min(0), mime: z.enum(['application/pdf', 'image/jpeg', 'image/png']), attachmentId: id }),
  'offer.accept': z.object({ assignmentId: id }),
  'offer.refuse': z.object({ assignmentId: id, reason: z.string().trim().min(1, '请填写拒绝理由').max(500) }),
  /** Draws again for an unassigned case (the 医保办, e.g. once an eligible physician is registered). */
  'case.redraw': z.object({ caseId: id }),
  /** The applicant is asked for more materials: the completion clock stops (and restarts at the end). */
  'case.supplement-start': z.object({ caseId: id }),
  'case.supplement-end': z.object({ caseId: id }),
  'case.conclude': z.object({ assignmentId: id, conclusion: conclusionSchema, criteriaMet: z.array(z.string().max(60)).max(100) }),
  /**
   * A 互认 decision on one outside result, into the server's 互认 log (so every desk holding the
   * case sees it). The platform message is still queued by the desk that made it, whose outbox
   * item is named here (null when the person has no psn_no yet).
   */
  'recognition.record': z.object({ caseId: id, resultId: id, decision: recognitionDecisionSchema, infno: z.string().trim().min(1).max(6), outboxId: id.nullable() }),
  'user.create': z.object({
    username: usernameSchema,
    displayName: displayNameSchema,
    role: z.enum(roles),
    department: z.string().trim().max(50).optional(),
    /** Temporary: the person must change it at first login. */
    password: newPasswordSchema,
  }),
  'user.update': z.object({
    userId: id,
    displayName: displayNameSchema.optional(),
    role: z.enum(roles).optional(),
    department: z.string().trim().max(50).nullable().optional(),
    disabled: z.boolean().optional(),
  }),
  'user.reset-password': z.object({ userId: id, password: newPasswordSchema }),
  'user.unlock': z.object({ userId: id }),
  /** An administrator's policy pack file (parsed and checked on the server). */
  'policy.import-pack': z.object({ pack: z.unknown() }),
  'policy.activate': z.object({ packId: id }),
  /** A holiday calendar year (the 医保办 or an administrator). */
  'calendar.import': z.object({ file: z.unknown() }),
  /** This hospital's level and kind (checkPhysician's institution facts). */
  'hospital.facts': z.object({
    code: z.string().trim().max(20).optional(),
    name: z.string().trim().max(100).optional(),
    level: institutionLevelSchema,
    kind: institutionKindSchema,
  }),
  /** The 医保办 closes a refused decision with what became of it. */
  'conflict.resolve': z.object({ conflictId: id, note: z.string().trim().min(1, '请写明处理结果').max(500) }),
  /** Creates or edits a physician account's registry profile (name from the account; records and flag kept). */
  'registry.save-profile': z.object({ physicianId: id, profile: profileInputSchema }),
  /** Adds a 认定医师库 record to a profile. */
  'registry.add-record': z.object({ physicianId: id, record: newRegistryRecordSchema }),
  /** Dates a registry record invalid, with the reason; the record is named by its index (records are only appended). */
  'registry.invalidate-record': z.object({ physicianId: id, index: z.number().int().min(0).max(1000), invalidOn: registryDate, reason: registryReason }),
  /** The 医保办 keeps a flagged physician, with the reason. */
  'registry.clear-flag': z.object({ physicianId: id, reason: registryReason }),
  /** The 医保办 ends a flagged physician's records in force at this hospital (the server's own institution code), with the reason. */
  'registry.revoke-for-flag': z.object({ physicianId: id, reason: registryReason }),
  /**
   * The 医保办 submits certifications for filing (2503) as one batch, with a batch id made at the
   * desk. The server builds each message from its own records; one that cannot be built is set
   * aside with its reason and the rest go on.
   */
  'filing.submit': z.object({ batchId: id, certificationIds: z.array(id).min(1).max(MAX_BATCH) }),
  /** Revokes a filed certification (2504), with the reason. */
  'filing.revoke': z.object({ certificationId: id, reason: filingReason }),
  /**
   * Corrects a filed certification: the filing is revoked (2504) and a new certification, with
   * the old one's fields and these changes, is filed after it in the same person's order.
   */
  'filing.correct': z.object({
    certificationId: id,
    reason: filingReason,
    changes: z.object({
      begnDate: isoDate.optional(),
      endDate: isoDate.nullable().optional(),
      diseaseCode: z.string().regex(/^M\d{5}$/, '病种编码应为 M 加 5 位数字').optional(),
      diseaseName: z.string().trim().min(1).max(100).optional(),
    }),
  }),
  /** Sends a set-aside message again. */
  'filing.retry': z.object({ filingId: id }),
  /** Closes a set-aside or refused message with what became of it (its certification may be submitted again). */
  'filing.dismiss': z.object({ filingId: id, note: z.string().trim().min(1, '请写明处理结果').max(500) }),
  /** An administrator files without a concluded certification behind it, stating why. */
  'filing.manual': z.object({
    reason: z.string().trim().min(4, '请写明为何没有认定结论也要备案').max(500),
    filing: z.object({
      psnNo: z.string().trim().min(1).max(30),
      psnName: z.string().trim().min(1).max(50),
      insutype: z.string().trim().min(1).max(6),
      insuplcAdmdvs: z.string().trim().regex(/^\d{6}$/, '参保地区划应为 6 位数字'),
      diseaseCode: z.string().regex(/^M\d{5}$/, '病种编码应为 M 加 5 位数字'),
      diseaseName: z.string().trim().min(1).max(100),
      hospIdeDate: isoDate,
      begndate: isoDate,
      enddate: isoDate.optional(),
      physicianCode: z.string().trim().min(1).max(30),
      physicianName: z.string().trim().min(1).max(50),
      tel: z.string().trim().max(30).optional(),
      addr: z.string().trim().max(200).optional(),
    }),
  }),
  /** An administrator cancels the messages still held for a platform no longer in use; their certifications may be submitted again. */
  'platform.cancel-held': z.object({ platform: z.string().min(1).max(300), note: z.string().trim().min(1, '请写明处理结果').max(500) }),
} as const;

export type CommandKind = keyof typeof commandPayloads;
export type CommandPayload<K extends CommandKind> = z.infer<(typeof commandPayloads)[K]>;
export const COMMAND_KINDS = Object.keys(commandPayloads) as CommandKind[];

/** What the desk shows for a command kind (its outbox, a refusal). */
export const commandLabels: Record<CommandKind, string> = {
  'case.take': '受理申请',
  'material.attach': '上传材料文件',
  'offer.accept': '接受分配',
  'offer.refuse': '拒绝分配',
  'case.redraw': '重新抽取',
  'case.supplement-start': '暂停时限（补充材料）',
  'case.supplement-end': '材料补齐，恢复时限',
  'case.conclude': '提交审核结论',
  'recognition.record': '记录检查检验结果互认',
  'user.create': '创建账户',
  'user.update': '修改账户',
  'user.reset-password': '重置密码',
  'user.unlock': '解除锁定',
  'policy.import-pack': '导入政策包',
  'policy.activate': '启用政策包',
  'calendar.import': '导入节假日日历',
  'hospital.facts': '设置本院信息',
  'conflict.resolve': '处理冲突',
  'registry.save-profile': '保存认定医师资料',
  'registry.add-record': '登记认定医师库记录',
  'registry.invalidate-record': '登记认定医师库记录失效',
  'registry.clear-flag': '解除连续拒绝标记',
  'registry.revoke-for-flag': '取消认定资格',
  'filing.submit': '提交备案批次',
  'filing.revoke': '撤销备案',
  'filing.correct': '更正备案',
  'filing.retry': '重新发送搁置的报文',
  'filing.dismiss': '关闭搁置或被拒的报文',
  'filing.manual': '无认定结论备案',
  'platform.cancel-held': '取消原平台的待发报文',
};
