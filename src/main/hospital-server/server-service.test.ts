import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../handlers';
import { createDispatch } from '../ipc/dispatch';
import { startServer } from '../../server/server';
import { MIGRATIONS } from '../../server/migrations';
import { makeEnrolmentCode } from '../../server/auth';
import { createServerService } from './server-service';

const dir = mkdtempSync(join(tmpdir(), 'opsp-server-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the desk\'s hospital server', { timeout: 60_000 }, () => {
  it('by default starts the embedded server on PGlite in the data folder and reports it healthy', async () => {
    const service = createServerService({ dataDir: dir, log: () => undefined });
    try {
      await service.start();
      const status = await service.status();
      expect(status).toMatchObject({ mode: 'embedded', label: '本机内置服务器', ok: true, database: 'pglite', schemaVersion: MIGRATIONS.at(-1)!.version });
      expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await service.close();
    }
  });

  it('points at a LAN server by address, says plainly when it does not answer, and switches back', async () => {
    const lan = await startServer({ database: { kind: 'pglite', dataDir: null }, port: 0 });
    const service = createServerService({ dataDir: dir, log: () => undefined });
    try {
      await service.setConfig({ mode: 'remote', url: lan.url });
      expect(service.getConfig()).toEqual({ mode: 'remote', url: lan.url });
      expect(await service.status()).toMatchObject({ mode: 'remote', label: `院内服务器 ${lan.url}`, ok: true, database: 'pglite' });
      await lan.close();
      const down = await service.status();
      expect(down.ok).toBe(false);
      expect(down.error).toMatch(/^无法连接/);
      await service.setConfig({ mode: 'embedded' });
      expect(await service.status()).toMatchObject({ mode: 'embedded', ok: true });
    } finally {
      await service.close();
      await lan.close().catch(() => undefined);
    }
  });

  it('enrols this desk with the embedded server once, and keeps the token', async () => {
    const service = createServerService({ dataDir: dir, log: () => undefined, hostname: '前台电脑' });
    try {
      const first = await service.desk();
      expect(first).toMatchObject({ enrolled: true, deskName: '前台电脑' });
      expect(first.deskToken).toMatch(/^[\w-]{40,}$/);
      expect((await service.desk()).deskToken).toBe(first.deskToken);
      const res = await fetch(`${first.url}/auth/status`, { headers: { 'x-opsp-desk': first.deskToken! } });
      expect(res.status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it('a LAN server needs a code from an administrator before it talks to this desk', async () => {
    const lan = await startServer({ database: { kind: 'pglite', dataDir: null }, port: 0, sweepEveryMs: 0 });
    const service = createServerService({ dataDir: dir, log: () => undefined });
    try {
      await service.setConfig({ mode: 'remote', url: lan.url });
      expect(await service.desk()).toMatchObject({ enrolled: false, deskToken: null });
      await expect(service.enrol({ code: 'WRONG-CODE-1234', name: '内分泌科 1 号' })).rejects.toThrow(/登记码无效/);
      const { code } = await makeEnrolmentCode(lan.hospital, '内分泌科 1 号', null);
      const enrolled = await service.enrol({ code, name: '内分泌科 1 号' });
      expect(enrolled).toMatchObject({ enrolled: true, deskName: '内分泌科 1 号' });
      expect(await service.desk()).toMatchObject({ enrolled: true, deskToken: enrolled.deskToken });
    } finally {
      await service.setConfig({ mode: 'embedded' });
      await service.close();
      await lan.close();
    }
  });

  it('refuses an address that is not one, at the IPC boundary', async () => {
    const dispatch = createDispatch(createHandlers({ version: 't', shell: 'browser', dataDir: dir, log: () => undefined }), { isTrustedSender: () => true });
    const result = await dispatch('server.setConfig', { mode: 'remote', url: 'file:///etc/passwd' }, {} as never);
    expect(result).toMatchObject({ ok: false });
  });
});
