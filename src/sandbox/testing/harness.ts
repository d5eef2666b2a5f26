/**
 * Starts a real sandbox in a fresh temporary directory for a test, with a clock the test can move
 * forward, and removes the directory afterwards.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../server';
import { SandboxClient } from './client';

export interface TestSandbox {
  sandbox: RunningSandbox;
  dataDir: string;
  client: SandboxClient;
  /** Moves the platform's clock forward. */
  advance(ms: number): void;
  /** Closes and starts again on the same directory (and port). */
  restart(overrides?: Partial<SandboxOptions>): Promise<void>;
  dispose(): Promise<void>;
}

export async function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsp-sandbox-test-'));
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const base: SandboxOptions = { dataDir, seedPersons: 50, now, ...options };
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox(base);
  } catch (e) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  const t: TestSandbox = {
    sandbox,
    dataDir,
    client: new SandboxClient(sandbox.url),
    advance(ms) {
      offset += ms;
    },
    async restart(overrides = {}) {
      await sandbox.close();
      sandbox = await startSandbox({ ...base, port: sandbox.port, ...overrides });
      t.sandbox = sandbox;
    },
    async dispose() {
      await sandbox.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}

export interface PersonSummary {
  psn_no: string;
  certno: string;
  psn_name: string;
  insutype: string;
  insuplc_admdvs: string;
  ec_token: string;
  card_no: string;
  card_sn: string;
}

export async function listPersons(client: SandboxClient): Promise<PersonSummary[]> {
  return (await client.get<{ persons: PersonSummary[] }>('/sandbox/persons')).persons;
}

/** A complete 2503 `data` node for a person and disease. */
export function filingData(p: PersonSummary, code = 'M03900', name = '高血压3级（极高危）', begndate = '2025-06-01', enddate = '2027-05-31') {
  return {
    psn_no: p.psn_no,
    insutype: p.insutype,
    opsp_dise_code: code,
    opsp_dise_name: name,
    tel: '13800000000',
    addr: '太原市示例路 1 号',
    insu_optins: p.insuplc_admdvs,
    ide_fixmedins_no: 'H14010500001',
    ide_fixmedins_name: '山西省示例人民医院',
    hosp_ide_date: '2025-05-30',
    diag_dr_codg: 'D140105000001',
    diag_dr_name: '李医生',
    begndate,
    enddate,
  };
}
