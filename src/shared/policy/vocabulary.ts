/** The pack's shared vocabulary: dates, disease codes, titles, institution levels and kinds. */
import { z } from 'zod';
import { isIsoDate } from '../time';

export const isoDateSchema = z.string().refine(isIsoDate, { message: '日期须为有效的 YYYY-MM-DD' });
/** National outpatient chronic/special disease code (1309 catalogue). */
export const diseaseCodeSchema = z.string().regex(/^M\d{5}$/, { message: '病种代码须为 M 加 5 位数字' });

export const titleRankSchema = z.enum(['junior', 'intermediate', 'associate-senior', 'senior']);
export type TitleRank = z.infer<typeof titleRankSchema>;
export const TITLE_ORDER: readonly TitleRank[] = ['junior', 'intermediate', 'associate-senior', 'senior'];
export const TITLE_LABELS: Record<TitleRank, string> = {
  junior: '初级',
  intermediate: '中级',
  'associate-senior': '副高级',
  senior: '正高级',
};

export const institutionLevelSchema = z.enum(['ungraded', 'level-1', 'level-2', 'level-3']);
export type InstitutionLevel = z.infer<typeof institutionLevelSchema>;
export const LEVEL_LABELS: Record<InstitutionLevel, string> = {
  ungraded: '未定级',
  'level-1': '一级',
  'level-2': '二级',
  'level-3': '三级',
};
/** general hospital, specialist hospital (any level), or 乡镇卫生院 / 社区卫生服务中心. */
export const institutionKindSchema = z.enum(['general', 'specialist', 'grassroots']);
export type InstitutionKind = z.infer<typeof institutionKindSchema>;
export const KIND_LABELS: Record<InstitutionKind, string> = {
  general: '综合医院',
  specialist: '专科医院',
  grassroots: '基层医疗机构（乡镇卫生院、社区卫生服务中心）',
};

export const categorySchema = z.enum(['special', 'chronic']);
export type DiseaseCategory = z.infer<typeof categorySchema>;
