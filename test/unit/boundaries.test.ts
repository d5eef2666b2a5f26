import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The layer rules of architecture.md §2, proven by running the project's own lint config and
// shared tsconfig on probe files that break them.
const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function lintErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return result!.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint boundaries', () => {
  it.each([
    ["import { app } from 'electron';", 'electron'],
    ["import { useState } from 'react';", 'react'],
    ["import { Button } from 'antd';", 'antd'],
    ["import Dexie from 'dexie';", 'dexie'],
    ["import { readFile } from 'node:fs/promises';", 'node:*'],
    ["import { join } from 'path';", 'bare node builtin'],
    ["import { startWebHost } from '../../main/web-host';", 'main'],
  ])('src/shared may not import %s (%s)', async (code) => {
    const errors = await lintErrors('src/shared/policy/__probe__.ts', `${code}\nexport const x = 1;\n`);
    expect(errors.some((e) => e.startsWith('no-restricted-imports'))).toBe(true);
  });

  it('src/shared may not touch DOM or Node globals', async () => {
    const errors = await lintErrors('src/shared/__probe__.ts', 'export const a = window.location.href;\nexport const b = process.env;\n');
    expect(errors.filter((e) => e.startsWith('no-restricted-globals'))).toHaveLength(2);
  });

  it('src/shared may import zod and its own modules', async () => {
    expect(await lintErrors('src/shared/__probe__.ts', "import { z } from 'zod';\nimport { sha256Hex } from './hash/sha256';\nexport const s = z.string();\nexport const h = sha256Hex;\n")).toEqual([]);
  });

  it('the renderer may not import main, and main may not import the renderer', async () => {
    expect(await lintErrors('src/renderer/src/__probe__.ts', "import { createHandlers } from '../../main/handlers';\nexport const x = createHandlers;\n")).not.toEqual([]);
    expect(await lintErrors('src/main/__probe__.ts', "import { App } from '../renderer/src/App';\nexport const x = App;\n")).not.toEqual([]);
  });

  it('only src/main/index.ts and src/main/electron/ import electron', async () => {
    expect(await lintErrors('src/server/platform/__probe__.ts', "import { net } from 'electron';\nexport const x = net;\n")).not.toEqual([]);
    expect(await lintErrors('src/main/electron/__probe__.ts', "import { net } from 'electron';\nexport const x = net;\n")).toEqual([]);
  });

  it('the preload imports only electron and the IPC contract', async () => {
    expect(await lintErrors('src/preload/__probe__.ts', "import { createApi } from '../shared/ipc/api';\nimport { ipcRenderer } from 'electron';\nexport const x = [createApi, ipcRenderer];\n")).toEqual([]);
    expect(await lintErrors('src/preload/__probe__.ts', "import { z } from 'zod';\nexport const x = z;\n")).not.toEqual([]);
    expect(await lintErrors('src/preload/__probe__.ts', "import { sha256Hex } from '../shared/hash/sha256';\nexport const x = sha256Hex;\n")).not.toEqual([]);
  });
});

describe('one way to handle dates', () => {
  const dateRule = (errors: string[]) => errors.filter((e) => e.startsWith('no-restricted-syntax'));

  it.each([
    ['src/renderer/src/features/__probe__.tsx', 'export const year = (d: Date) => d.getFullYear();'],
    ['src/shared/review/__probe__.ts', 'export const today = (d: Date) => d.toISOString().slice(0, 10);'],
    ['src/main/__probe__.ts', 'export const tomorrow = (t: number) => t + 86_400_000;'],
    ['test/fixtures/__probe__.ts', 'export const china = (t: number) => new Date(t + 28_800_000).getUTCDate();'],
    ['scripts/__probe__.ts', "export const label = (t: number) => new Date(t).toLocaleDateString('zh-CN');"],
  ])('%s may not count days from a Date', async (file, code) => {
    expect(dateRule(await lintErrors(file, `${code}\n`))).not.toEqual([]);
  });

  it('src/shared/time may, and everyone may keep instants as Dates', async () => {
    expect(dateRule(await lintErrors('src/shared/time/__probe__.ts', 'export const y = (d: Date) => d.getUTCFullYear();\n'))).toEqual([]);
    expect(dateRule(await lintErrors('src/renderer/src/__probe__.ts', 'export const at = (d: Date) => d.toISOString();\nexport const later = (t: number) => new Date(t + 3_600_000);\n'))).toEqual([]);
  });

  it('only src/shared/time imports dayjs (the renderer sets its zh-cn locale once, in start.tsx)', () => {
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'src', 'test', 'scripts'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|tsx|mts)$/.test(f) && existsSync(resolve(root, f)));
    const importers = files.filter((f) => /^import (?!type )[^;]*from 'dayjs(\/[^']*)?';/m.test(readFileSync(resolve(root, f), 'utf8')));
    expect(importers.sort()).toEqual(['src/renderer/src/start.tsx', 'src/shared/time/china-time.ts', 'src/shared/time/dates.ts']);
  });
});

describe('shared tsconfig', () => {
  /** Type-checks one in-memory file with tsconfig.shared.json's options. */
  function typeErrors(code: string): string[] {
    const config = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.shared.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const probe = resolve(root, 'src/shared/__probe__.ts');
    const host = ts.createCompilerHost(config.options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      resolve(name) === probe ? ts.createSourceFile(name, code, lang) : getSourceFile(name, lang, ...rest);
    const program = ts.createProgram([probe], config.options, host);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  it('fails the build when shared code reaches for the DOM or Node', () => {
    expect(typeErrors('export const a = document.title;').join()).toMatch(/document/);
    expect(typeErrors('export const b = process.env;').join()).toMatch(/process/);
    expect(typeErrors("import { readFileSync } from 'node:fs';\nexport const c = readFileSync;").length).toBeGreaterThan(0);
  });

  it('accepts pure code', () => {
    expect(typeErrors('export const d: number = [1, 2].reduce((a, b) => a + b, 0);')).toEqual([]);
  });
});
