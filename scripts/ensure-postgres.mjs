// Makes sure the server tests have the PostgreSQL server binaries (initdb, pg_ctl, postgres) for
// the throwaway cluster test/fixtures/postgres-cluster.ts starts for each run. On Debian as root
// (or with sudo) it installs `postgresql`; elsewhere it says exactly what to run. Nothing is
// needed when OPSP_TEST_POSTGRES_URL points the tests at a server of one's own.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findPostgresBin } from './postgres-bin.mjs';

if (process.env.OPSP_TEST_POSTGRES_URL) process.exit(0);

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const isRoot = process.getuid?.() === 0;
// PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` system user,
// which Debian's package creates.
const hasPostgresUser = () => spawnSync('id', ['-u', 'postgres'], { stdio: 'ignore' }).status === 0;
const ready = () => findPostgresBin() !== undefined && (!isRoot || hasPostgresUser());

if (ready()) process.exit(0);

if (existsSync('/etc/debian_version') && has('apt-get') && (isRoot || has('sudo'))) {
  const sudo = isRoot ? '' : 'sudo ';
  console.log('[postgres] 安装服务器测试所需的软件包：postgresql');
  execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql`, {
    stdio: 'inherit',
  });
  if (ready()) process.exit(0);
  console.error('[postgres] 已安装 postgresql，但仍未找到 initdb、pg_ctl 与 postgres（或 postgres 系统用户），请检查安装。');
  process.exit(1);
}

if (findPostgresBin() && isRoot) {
  console.error(`[postgres] PostgreSQL 不能以 root 身份运行，而本机没有 postgres 系统用户。请先创建：
  useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
或改用普通用户运行测试。`);
  process.exit(1);
}

console.error(`[postgres] 缺少 PostgreSQL 服务器程序（initdb、pg_ctl、postgres），服务器测试无法运行。请先安装：
  Debian/Ubuntu:  sudo apt-get install -y postgresql
  Fedora:         sudo dnf install -y postgresql-server
  macOS:          brew install postgresql@16，并把 $(brew --prefix postgresql@16)/bin 加入 PATH
  其他系统：      安装 PostgreSQL 服务器，并把含 initdb、pg_ctl、postgres 的目录加入 PATH
或设置 OPSP_TEST_POSTGRES_URL=postgres://用户@主机:端口/数据库，让测试使用已有的 PostgreSQL（测试会在其中建表）。`);
process.exit(1);
