// Reads the inputs once, picks the mode and runs it. Bad issue content never fails the run (it is
// answered on the issue and warned about); a bad configuration or an API failure does.
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import type { WebhookEvent } from '@octokit/webhooks-types';
import { ConfigError, parseConfig, type Config, type Mode } from './config.js';
import { renderScanSummary } from './messages/dashboard.js';
import { describeEffect, type Effect } from './core/plan.js';
import { OctokitGitHub, createOctokit } from './github/octokit.js';
import { runEventMode, type Payload, type RunContext } from './modes/event.js';
import { runScanMode } from './modes/scan.js';
import { runBoardSetup, runSetupMode } from './modes/setup.js';
import { checkOverrides } from './modes/template-check.js';
import { TemplateError, loadMessages } from './files/templates.js';

/** `auto` follows the event: issue activity → event mode; schedule and manual runs → scan. */
export function modeFor(mode: Mode, eventName: string): Exclude<Mode, 'auto'> {
  if (mode !== 'auto') return mode;
  return eventName === 'schedule' || eventName === 'workflow_dispatch' ? 'scan' : 'event';
}

function readPayload(): Payload {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as WebhookEvent;
  } catch (error) {
    throw new Error(`cannot read the event payload at ${path}: ${(error as Error).message}`);
  }
}

function report(effects: Effect[], dryRun: boolean): void {
  const described = effects.map(describeEffect);
  core.setOutput('effects', JSON.stringify(described));
  for (const effect of described) core.info(`${dryRun ? 'would ' : ''}${JSON.stringify(effect)}`);
}

async function event(ctx: RunContext, eventName: string): Promise<void> {
  const result = await runEventMode(ctx, eventName, readPayload());
  core.setOutput('engagement', result.engagement === null ? '' : String(result.engagement));
  core.setOutput('step', result.step ?? '');
  report(result.effects, ctx.config.dryRun);
  if (result.skipped) {
    core.info(`Nothing to do: ${result.skipped}.`);
    return;
  }
  await core.summary
    .addHeading(`Engagement #${result.engagement}`, 3)
    .addRaw(`Step after this run: ${result.step ?? 'unknown'}. ${result.effects.length} effect(s)${ctx.config.dryRun ? ' (dry run: nothing written)' : ''}.`, true)
    .addList(result.effects.map((e) => JSON.stringify(describeEffect(e))))
    .write();
}

async function scan(ctx: RunContext): Promise<void> {
  const started = performance.now();
  const result = await runScanMode(ctx);
  core.setOutput('stalled', String(result.stalled));
  report(result.effects, ctx.config.dryRun);
  await core.summary.addRaw(renderScanSummary(ctx.messages, ctx.config, result), true).write();
  const rss = process.resourceUsage().maxRSS / 1024;
  core.info(
    `Scan: ${result.rows.length} open engagement(s), ${result.stalled} stalled, ${result.invalid.length} invalid; ` +
      `${result.writes} write(s)${result.deferred ? `, ${result.deferred} deferred to the next run` : ''}; dashboard ${result.dashboard}; ` +
      `decision core ${result.decisionMs.toFixed(0)} ms of ${(performance.now() - started).toFixed(0)} ms; peak RSS ${rss.toFixed(0)} MB`,
  );
}

async function setup(ctx: RunContext): Promise<void> {
  const effects = await runSetupMode(ctx.config, ctx.gh);
  report(effects, ctx.config.dryRun);
  core.info(effects.length === 0 ? 'Labels: all present and up to date.' : `Labels: ${effects.length} change(s)${ctx.config.dryRun ? ' (dry run: nothing written)' : ''}.`);
  if (!ctx.config.project) return;
  const board = await runBoardSetup(ctx.config, ctx.boardGh ?? ctx.gh);
  if (board.warning) core.warning(board.warning);
  const dry = ctx.config.dryRun ? ' (dry run: nothing written)' : '';
  core.info(board.created.length === 0 ? 'Board: every field is there.' : `Board: created ${board.created.join('; ')}${dry}.`);
  if (board.byHand.length > 0) core.warning(`Board ${ctx.config.project.url}: to do by hand: ${board.byHand.join('; ')}.`);
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
  if (config.projectToken) core.setSecret(config.projectToken);
  try {
    const messages = loadMessages({ overrideDir: config.templatesPath, playbooks: config.playbooks.all });
    checkOverrides(config, messages);
    const log = { info: (m: string) => core.info(m), warning: (m: string) => core.warning(m) };
    const ctx: RunContext = {
      config,
      gh: new OctokitGitHub(createOctokit(config.token, { log })),
      ...(config.project && config.projectToken && config.projectToken !== config.token
        ? { boardGh: new OctokitGitHub(createOctokit(config.projectToken, { log, throttleId: 'engagement-bot-board' })) }
        : {}),
      messages,
      now: () => new Date(),
      log,
    };
    const eventName = process.env.GITHUB_EVENT_NAME ?? '';
    const mode = modeFor(config.mode, eventName);
    if (mode === 'setup') await setup(ctx);
    else if (mode === 'scan') await scan(ctx);
    else await event(ctx, eventName);
  } catch (error) {
    const message = error instanceof TemplateError ? error.message : `${(error as Error).message ?? String(error)}`;
    core.setFailed(message);
  }
}
