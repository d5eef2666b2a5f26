import { describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../shared/ipc/channels';
import { contract } from '../../shared/ipc/contract';
import { HandlerError } from '../../shared/ipc/result';
import { createHandlers } from '../handlers';
import { createDispatch, type Handlers } from './dispatch';

const sender = { url: 'file:///app/index.html', mainFrame: true };
const baseHandlers = () =>
  createHandlers({ version: '1.2.3', shell: 'browser', dataDir: '/tmp/none', log: () => {}, scryptParams: { N: 1024, r: 8, p: 1 } });

function setup(overrides: Partial<Handlers> = {}, trusted = true) {
  const handlers = { ...baseHandlers(), ...overrides } as Handlers;
  return createDispatch(handlers, { isTrustedSender: () => trusted, log: () => {} });
}

describe('IPC contract', () => {
  it('declares exactly the channels the preload exposes, each named domain.verb', () => {
    expect(Object.keys(contract).sort()).toEqual([...channelNames].sort());
    for (const name of channelNames) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  });
});

describe('createDispatch', () => {
  it('rejects a malformed request with the failing field named, and never runs the handler', async () => {
    const handler = vi.fn();
    const dispatch = setup({ 'auth.hashPassword': handler });
    const result = await dispatch('auth.hashPassword', { password: 42 }, sender);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(!result.ok && result.error.message).toContain('password');
    expect(!result.ok && result.error.issues).toEqual([expect.stringContaining('password')]);
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects unknown extra fields (strict requests) before the handler', async () => {
    const handler = vi.fn();
    const dispatch = setup({ 'auth.hashPassword': handler });
    const result = await dispatch('auth.hashPassword', { password: 'abcdefgh', admin: true }, sender);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects a request that is not an object at all', async () => {
    const dispatch = setup();
    for (const bad of [null, 'x', 7, [1, 2]]) {
      expect(await dispatch('auth.verifyPassword', bad, sender)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
  });

  it('refuses an untrusted sender before parsing', async () => {
    const handler = vi.fn();
    const dispatch = setup({ 'app.info': handler }, false);
    expect(await dispatch('app.info', {}, sender)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers an unknown channel with a typed error', async () => {
    expect(await setup()('files.delete', {}, sender)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('turns a thrown error into a typed value, keeping a HandlerError code', async () => {
    const dispatch = setup({
      'app.info': () => {
        throw new HandlerError('PLATFORM_TIMEOUT', '平台超时');
      },
      'auth.hashPassword': () => {
        throw new Error('boom');
      },
    });
    expect(await dispatch('app.info', {}, sender)).toEqual({ ok: false, error: { code: 'PLATFORM_TIMEOUT', message: '平台超时' } });
    expect(await dispatch('auth.hashPassword', { password: 'abcdefgh' }, sender)).toMatchObject({
      ok: false,
      error: { code: 'HANDLER_FAILED', message: expect.stringContaining('boom') },
    });
  });

  it('refuses to pass on a response outside the contract', async () => {
    const dispatch = setup({ 'app.info': () => ({ version: 1 }) as never });
    expect(await dispatch('app.info', {}, sender)).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
  });

  it('hashes with scrypt and verifies the right password only', async () => {
    const dispatch = setup();
    const hashed = await dispatch('auth.hashPassword', { password: '正确的密码 123' }, sender);
    expect(hashed.ok).toBe(true);
    const hash = (hashed as { value: { hash: string } }).value.hash;
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await dispatch('auth.verifyPassword', { password: '正确的密码 123', hash }, sender)).toEqual({ ok: true, value: { valid: true } });
    expect(await dispatch('auth.verifyPassword', { password: 'wrong-password', hash }, sender)).toEqual({ ok: true, value: { valid: false } });
  });
});
