// GitHub spells a bot's login two ways: `name[bot]` (REST, GraphQL viewer, webhooks) and `name`
// (GraphQL `author` on a Bot). Identity checks compare logins through here.

export function sameLogin(a: string, b: string): boolean {
  const fold = (login: string) => login.replace(/\[bot\]$/i, '').toLowerCase();
  return fold(a) === fold(b);
}
