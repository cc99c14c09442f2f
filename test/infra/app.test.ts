/** The CDK app's door: a stage config/deploy.json does not define is one clear line, not a stack trace. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { ConfigError } from '../../infra/stack/deploy-config.js';

const root = join(__dirname, '../..');

describe('an unknown stage', () => {
  it('buildApp refuses it with one line naming the stages config/deploy.json defines', () => {
    const build = () => buildApp(new App({ outdir: mkdtempSync(join(tmpdir(), 'bishui-cdk-staging-')), context: { stage: 'staging' } }));
    expect(build).toThrow(ConfigError);
    expect(build).toThrow("unknown stage 'staging': config/deploy.json defines dev, prod (pick one with -c stage=NAME)");
  });

  it('`cdk synth -c stage=staging` (the app as cdk runs it) prints that line and exits 1, no stack trace', () => {
    // cdk passes -c values to the app in CDK_CONTEXT_JSON
    const p = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: root, encoding: 'utf8',
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ stage: 'staging' }), CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'bishui-cdk-out-')) },
    });
    expect(p.status).toBe(1);
    expect(p.stderr.trim()).toBe("bishui: unknown stage 'staging': config/deploy.json defines dev, prod (pick one with -c stage=NAME)");
  }, 60_000);
});
