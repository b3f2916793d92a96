// The architecture of src/, checked by `npm run lint` (`depcruise src --config .dependency-cruiser.mjs`)
// and drawn into CONTRIBUTING.md by `npm run architecture` (scripts/architecture.ts).
//
// The rooms, each allowed to import only the rooms named (and itself):
//   src/index.ts, src/main.ts, src/config.ts  the entry: anything below
//   src/modes/     event, scan, setup, the decide-then-apply loop: anything but index.ts and main.ts
//   src/github/    the GitHub edge: core, messages, process, files
//   src/files/     the file loaders (playbook files, templates): messages, process
//   src/core/      the pure decision core: messages, process
//   src/messages/  template values, escaping, markers, Markdown, the dashboard: process
//   src/process/   the process model: nothing else in src/
// src/types/ holds ambient declarations (.d.ts) for npm packages; any room may use them.
// Type-only imports count: tsPreCompilationDeps keeps `import type` in the graph.

/** A path in one of the rooms (a capture-free alternation for dependency-cruiser's regexes). */
const room = (...names) => `^src/(${names.join('|')})/`;

/** Where a file of src/ may be: the entry's files or a room; anything else needs a rule first. */
const KNOWN = `^src/((index|main|config)\\.ts$|(process|messages|core|github|files|modes|types)/)`;

/** Node built-ins that reach the file system, other processes or the network. */
const NODE_IO = '^(node:)?(fs|fs/promises|child_process|http|https|http2|net|tls|dgram|dns)$';

/** npm packages that talk to the runner or to GitHub (matched on the resolved path). */
const ACTIONS_OCTOKIT = '(^|/)node_modules/@(actions|octokit)/';

/**
 * A room may import only these rooms of src/ (npm packages and config.ts have rules of their own,
 * so that an import breaks one rule, not two).
 */
const onlyFrom = (name, from, allowed, why) => ({
  name,
  severity: 'error',
  comment: why,
  from: { path: from },
  to: { path: '^src/', pathNot: [room(...allowed, 'types'), '^src/config\\.ts$'] },
});

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle (type-only imports included) ties modules into one that cannot be read, tested or moved ' +
        'on its own, and makes the order in which ESM evaluates them matter. Move what both need below both.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import the resolver cannot find is either a bug or a gap in this configuration ' +
        '(the .js specifiers of src/ resolve to their .ts files); either way the other rules cannot see past it.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'src-file-in-no-room',
      severity: 'error',
      comment:
        'Every file of src/ is an entry file (index.ts, main.ts, config.ts) or lives in a room ' +
        '(process, messages, core, github, files, modes, types): a new top-level file or folder ' +
        'escapes every other rule until it is given a place here.',
      from: { path: '^src/', pathNot: KNOWN },
      to: {},
    },
    {
      name: 'to-src-file-in-no-room',
      severity: 'error',
      comment:
        'Every file of src/ is an entry file (index.ts, main.ts, config.ts) or lives in a room ' +
        '(process, messages, core, github, files, modes, types): a new top-level file or folder ' +
        'escapes every other rule until it is given a place here.',
      from: {},
      to: { path: '^src/', pathNot: KNOWN },
    },
    {
      name: 'only-index-imports-main',
      severity: 'error',
      comment:
        'main.ts (inputs and dispatch) is the top of the graph below index.ts, which only runs it: ' +
        'a room that imported it would depend on every other room.',
      from: { pathNot: '^src/index\\.ts$' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'nothing-imports-index',
      severity: 'error',
      comment: 'index.ts is what the runner starts (and what ncc bundles from); importing it would run the action.',
      from: {},
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'config-not-below-modes',
      severity: 'error',
      comment:
        'config.ts reads the action inputs; the rooms below modes/ get what they need of it as plain ' +
        'values or types of their own, so that they run without the runner (tests, scan, setup).',
      from: { path: room('process', 'messages', 'core', 'github', 'files') },
      to: { path: '^src/config\\.ts$' },
    },
    onlyFrom(
      'process-imports-only-process',
      room('process'),
      ['process'],
      'process/ is the model everything else is written in (playbook, labels, queues, regions, ' +
        'front-matter, the engagement record, dates, settings): it depends on nothing else in src/.',
    ),
    onlyFrom(
      'messages-imports-only-process',
      room('messages'),
      ['process', 'messages'],
      'messages/ turns the process model into what people read (values for templates, escaping, ' +
        'markers, Markdown, the dashboard); it knows no decisions, no GitHub and no files.',
    ),
    onlyFrom(
      'core-imports-only-process-and-messages',
      room('core'),
      ['process', 'messages', 'core'],
      'core/ is the pure decision core: a function of the engagement as read and the time that ' +
        'returns effects as data. It cannot reach GitHub, files or a mode.',
    ),
    onlyFrom(
      'files-imports-only-process-and-messages',
      room('files'),
      ['process', 'messages', 'files'],
      'files/ loads playbooks and templates into the process model; it decides nothing and talks ' +
        'to no GitHub.',
    ),
    onlyFrom(
      'github-imports-only-core-files-messages-process',
      room('github'),
      ['core', 'messages', 'process', 'github', 'files'],
      'github/ is the edge to GitHub (the port, the Octokit adapter, reading, applying the plan); ' +
        'the modes drive it, never the other way round.',
    ),
    {
      name: 'pure-rooms-do-no-io',
      severity: 'error',
      comment:
        'process/, messages/ and core/ are pure: no file system, processes or network. I/O belongs ' +
        'to files/ (reading files) and github/ (the API), so that decisions are tested without either.',
      from: { path: room('process', 'messages', 'core') },
      to: { dependencyTypes: ['core'], path: NODE_IO },
    },
    {
      name: 'pure-rooms-no-actions-or-octokit',
      severity: 'error',
      comment:
        'process/, messages/ and core/ run without the runner and without GitHub: @actions/* and ' +
        '@octokit/* belong to the entry, the modes and github/.',
      from: { path: room('process', 'messages', 'core') },
      to: { path: ACTIONS_OCTOKIT },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `import type` and type-only re-exports count, so a cycle of types is a cycle too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      // NodeNext's `./x.js` specifiers resolve to `./x.ts` (dependency-cruiser tries .ts for a .js that is not there).
      extensions: ['.ts', '.d.ts', '.js', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: false,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
