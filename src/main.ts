// Reads the inputs once, picks the mode and runs it. Bad issue content never fails the run (it is
// answered on the issue and warned about); a bad configuration or an API failure does.
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { ConfigError, parseConfig, type Config, type Mode } from './config.js';
import { describeEffect } from './effects.js';
import { OctokitGitHub, createOctokit } from './github/octokit.js';
import { runEventMode, type RunContext } from './modes/event.js';
import { TemplateError, loadMessages } from './templates.js';

/** `auto` follows the event: issue activity → event mode; schedule and manual runs → scan. */
export function modeFor(mode: Mode, eventName: string): Exclude<Mode, 'auto'> {
  if (mode !== 'auto') return mode;
  return eventName === 'schedule' || eventName === 'workflow_dispatch' ? 'scan' : 'event';
}

function readPayload(): Record<string, unknown> {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot read the event payload at ${path}: ${(error as Error).message}`);
  }
}

export async function run(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig((name) => core.getInput(name), process.env);
  } catch (error) {
    core.setFailed(error instanceof ConfigError ? error.message : String(error));
    return;
  }
  core.setSecret(config.token);
  try {
    const messages = loadMessages({ overrideDir: config.templatesPath });
    const log = { info: (m: string) => core.info(m), warning: (m: string) => core.warning(m) };
    const ctx: RunContext = {
      config,
      gh: new OctokitGitHub(createOctokit(config.token, { log })),
      messages,
      now: () => new Date(),
      log,
    };
    const eventName = process.env.GITHUB_EVENT_NAME ?? '';
    const mode = modeFor(config.mode, eventName);
    if (mode !== 'event') {
      core.setFailed(`mode "${mode}" is not available in this version`);
      return;
    }
    const report = await runEventMode(ctx, eventName, readPayload());
    const effects = report.effects.map(describeEffect);
    core.setOutput('engagement', report.engagement === null ? '' : String(report.engagement));
    core.setOutput('step', report.step ?? '');
    core.setOutput('effects', JSON.stringify(effects));
    if (report.skipped) core.info(`Nothing to do: ${report.skipped}.`);
    for (const effect of effects) core.info(`${config.dryRun ? 'would ' : ''}${JSON.stringify(effect)}`);
    if (report.engagement !== null && !report.skipped) {
      await core.summary
        .addHeading(`Engagement #${report.engagement}`, 3)
        .addRaw(`Step after this run: ${report.step ?? 'unknown'}. ${effects.length} effect(s)${config.dryRun ? ' (dry run: nothing written)' : ''}.`, true)
        .addList(effects.map((e) => JSON.stringify(e)))
        .write();
    }
  } catch (error) {
    const message = error instanceof TemplateError ? error.message : `${(error as Error).message ?? String(error)}`;
    core.setFailed(message);
  }
}
