// Who may confirm a queue move: someone listed in `assignment-team-members`, or an active member
// of `assignment-team`; with neither configured, a collaborator with write access or more.
// `author_association` is never used: it says how someone relates to the repository, not to the
// assignment team, and it is missing or coarse for members of private organisations.
import type { Config, RepoRef } from '../process/settings.js';
import type { GitHub } from './port.js';
import type { Authorisation } from '../process/engagement-read.js';

/** `activeMembers`: logins the engagement's read already found active in the team (no further call for them). */
export async function authorise(login: string, where: RepoRef, config: Config, gh: GitHub, activeMembers: string[] | null = null): Promise<Authorisation> {
  const listed = config.assignmentTeamMembers.some((m) => m.toLowerCase() === login.toLowerCase());
  if (listed) return { ok: true, via: 'members-list' };
  const team = config.assignmentTeam;
  if (team && activeMembers?.includes(login.toLowerCase())) return { ok: true, via: 'team' };
  // Anyone else is asked about by REST, which tells a pending invitation and a team the token cannot see.
  if (team) {
    const membership = await gh.teamMembership(team.org, team.slug, login);
    if (membership === 'active') return { ok: true, via: 'team' };
    if (membership === 'team-not-visible') {
      // A check the token cannot make fails closed: nobody is accepted on an unverifiable claim.
      return { ok: false, reason: 'check-impossible', team: `${team.org}/${team.slug}` };
    }
    return { ok: false, reason: 'not-member', team: `${team.org}/${team.slug}`, pending: membership === 'pending' };
  }
  if (config.assignmentTeamMembers.length > 0) return { ok: false, reason: 'not-member' };
  const permission = await gh.collaboratorPermission(where, login);
  if (permission === 'admin' || permission === 'maintain' || permission === 'write') return { ok: true, via: 'collaborator' };
  return { ok: false, reason: 'not-collaborator', permission, repo: `${where.owner}/${where.name}` };
}
