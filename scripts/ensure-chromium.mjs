// Makes sure the end-to-end tests have a Chromium and CJK fonts (without them Chinese renders as
// boxes). On Debian as root (or with sudo) it installs `chromium` and `fonts-noto-cjk`; elsewhere
// it says exactly what to run.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { findChromium } from './chromium-path.mjs';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const hasCjkFont = () => has('fc-list') && execSync('fc-list :lang=zh family', { encoding: 'utf8' }).trim().length > 0;
const playwrightOwnChromium = () => {
  try {
    return existsSync(chromium.executablePath());
  } catch {
    return false;
  }
};

const missing = [];
if (!findChromium() && !playwrightOwnChromium()) missing.push('chromium');
if (!hasCjkFont()) missing.push('fonts-noto-cjk');
if (missing.length === 0) process.exit(0);

const isRoot = process.getuid?.() === 0;
if (existsSync('/etc/debian_version') && has('apt-get') && (isRoot || has('sudo'))) {
  const sudo = isRoot ? '' : 'sudo ';
  console.log(`[e2e] 安装端到端测试所需的软件包：${missing.join(' ')}`);
  execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`, {
    stdio: 'inherit',
  });
  process.exit(0);
}

console.error(`[e2e] 缺少 ${missing.join('、')}，端到端测试无法运行。请先安装：
  Debian/Ubuntu:  sudo apt-get install -y chromium fonts-noto-cjk
  其他系统：      安装 Chromium 与中文字体（Noto Sans CJK），并设置 CHROMIUM_PATH=<chromium 可执行文件路径>`);
process.exit(1);
