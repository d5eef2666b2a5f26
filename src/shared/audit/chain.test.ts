import { describe, expect, it } from 'vitest';
import { chainEntry, GENESIS_HASH, verifyChain, type AuditEntry } from './chain';

const build = (n: number): AuditEntry[] => {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push(chainEntry(entries.at(-1), { kind: 'user.created', actorId: 'u1', at: `2026-11-0${i + 1}T08:00:00Z`, subject: `user-${i}`, detail: { role: 'physician' } }));
  }
  return entries;
};

describe('audit chain', () => {
  it('links each entry to the previous hash and verifies an untouched chain', () => {
    const chain = build(4);
    expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
    expect(chain[2]!.prevHash).toBe(chain[1]!.hash);
    expect(verifyChain(chain)).toEqual({ ok: true, count: 4 });
  });

  it('detects an edited entry', () => {
    const chain = build(4);
    chain[1] = { ...chain[1]!, detail: { role: 'admin' } };
    expect(verifyChain(chain)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects a deleted entry', () => {
    const chain = build(4);
    chain.splice(2, 1);
    expect(verifyChain(chain)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('detects a re-hashed forgery that no longer links to its successor', () => {
    const chain = build(3);
    const forged = chainEntry(chain[0], { ...chain[1]!, subject: 'someone-else' });
    chain[1] = forged;
    expect(verifyChain(chain)).toMatchObject({ ok: false, brokenAt: 3 });
  });
});
