import type { User } from '../../../../shared/domain/user';
import { OFFICE_ASSIGNEE } from '../../../../shared/domain/work-item';
import type { PolicyPack } from '../../../../shared/policy/schema';
import { assignmentMode } from '../../../../shared/review/stages';

/**
 * Whose work the worklist shows. A physician works the cases drawn for them, accepting or
 * refusing each offer within the pack's window; the 医保办 works its shared queue of office
 * stages (000 院内复核), whose items start accepted, so nothing about offers applies there.
 */
export interface WorklistQueue {
  kind: 'physician' | 'office';
  /** The work items' assigneeId: the user's id, or the office's pseudo-assignee. */
  assigneeId: string;
  /** Offers apply: 受理/拒绝, the 待受理 filter, the acceptance countdown and its note. */
  offers: boolean;
  title: string;
  description: string;
  emptyText: string;
}

export function worklistQueue(user: Pick<User, 'id' | 'role'>): WorklistQueue {
  if (user.role === 'office') {
    return {
      kind: 'office',
      assigneeId: OFFICE_ASSIGNEE,
      offers: false,
      title: '院内复核',
      description: '认定医师已给出结论、待医保办院内复核的案件：核对认定医师的结论与材料后办结。医保办人员共用此队列。',
      emptyText: '暂无待院内复核的案件',
    };
  }
  return {
    kind: 'physician',
    assigneeId: user.id,
    offers: true,
    title: '待审案件',
    description: '分配给您的认定案件，按时限排序。',
    emptyText: '暂无分配给您的案件',
  };
}

/** The pack's stages this queue works (the 环节 filter): office stages for the 医保办, the rest for physicians. */
export function queueStages(pack: PolicyPack, queue: WorklistQueue): PolicyPack['process']['stages'] {
  const mode = queue.kind === 'office' ? 'office' : 'random';
  return pack.process.stages.filter((s) => assignmentMode(s) === mode);
}
