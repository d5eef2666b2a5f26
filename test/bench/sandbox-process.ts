/**
 * The sandbox in a child process for benchmarks: a platform is another machine, and sharing one
 * event loop with the runner would charge the sandbox's work to the runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface SandboxProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startSandboxProcess(seedPersons: number): Promise<SandboxProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'opsp-bench-sandbox-'));
  const root = resolve(import.meta.dirname, '../..');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/sandbox/cli.ts'), '--port', '0', '--data', dataDir, '--seed-persons', String(seedPersons), '--quiet'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /(http:\/\/127\.0\.0\.1:\d+)\/sandbox\/health/.exec(out);
      if (m) ok(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`sandbox exited (${code}) before it was ready:\n${out}`)));
  });
  child.stdout!.resume();
  return {
    url,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
