// What the process model reads of the action's configuration: plain values, parsed and checked
// above it by config.ts, so the model never reaches the inputs or the files they name.
import type { Locale } from './engagement.js';
import type { EngineLabel } from './labels.js';
import type { PlaybookCatalog } from './playbook.js';
import type { Region } from './region.js';

export type Mode = 'auto' | 'event' | 'scan' | 'setup';

export interface RepoRef {
  owner: string;
  name: string;
}

/** One issue: an engagement, its transfer request, the dashboard. */
export interface IssueTarget {
  repo: RepoRef;
  number: number;
}

export interface Config {
  mode: Mode;
  token: string;
  repo: RepoRef;
  /** The playbook an engagement runs unless its front-matter names another, and every one it may name. */
  playbooks: PlaybookCatalog;
  /** Every label's name in this repository, by label key (the engine's and every playbook's). */
  labels: Record<EngineLabel, string> & Record<string, string>;
  assignmentTeam: { org: string; slug: string } | null;
  assignmentTeamMembers: string[];
  assignmentRepo: RepoRef;
  assignmentAssignees: string[];
  /** Days in one step before a stall: one figure, or one per step key; null: the playbook's own. */
  stallDays: number | Record<string, number> | null;
  transferStallDays: number | null;
  locale: Locale;
  timezone: string;
  templatesPath: string | null;
  /** Queue names set by the `queues` input, per language; the playbook names the others. */
  queues: Partial<Record<Locale, Partial<Record<Region, string>>>>;
  dryRun: boolean;
  maxWrites: number;
  dashboard: boolean;
  /** The Projects (v2) board kept in sync, when the `project` input names one. */
  project: ProjectRef | null;
  /** The token for the board (the `project-token` input); null: the `github-token`. */
  projectToken: string | null;
  /** The board's field names, by the field the bot writes (the `project-fields` input renames them). */
  projectFields: Record<BoardField, string>;
}

/** A project as its URL names it: `https://github.com/orgs/ORG/projects/N` or `…/users/USER/projects/N`. */
export interface ProjectRef {
  ownerKind: 'organization' | 'user';
  owner: string;
  number: number;
  url: string;
}

/** The board's fields, by the names the bot writes (GitHub's field names are the project's). */
export const BOARD_FIELDS = ['Step', 'Region', 'FM', 'Step since', 'Next action date'] as const;
export type BoardField = (typeof BOARD_FIELDS)[number];

const REPO = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/;

export function parseRepo(text: string): RepoRef | null {
  const match = REPO.exec(text.trim());
  return match ? { owner: match[1] as string, name: match[2] as string } : null;
}

export function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.name.toLowerCase() === b.name.toLowerCase();
}

export function repoName(repo: RepoRef): string {
  return `${repo.owner}/${repo.name}`;
}

