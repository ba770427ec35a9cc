// The layer rule of src/ (docs/architecture.md, "Layers"), checked in CI by `npm run depcheck`.
// Every import points down this list or stays in its own layer; nothing imports upward, and there is
// no cycle. A layer may skip layers below it. Within the adapters band, the store is the floor: the
// others (iam, upstream, throttle, webhooks) may use it, never each other.
const LAYERS = [
  { name: 'tools', path: '^src/(cli|docs)/' },
  { name: 'composition', path: '^src/main\\.ts$' },
  { name: 'server', path: '^src/server/' },
  { name: 'edges', path: '^src/(gateway|operator|web)/' },
  { name: 'actions', path: '^src/actions/' },
  { name: 'domain', path: '^src/domain/' },
  { name: 'adapters', path: '^src/(iam|upstream|throttle|webhooks)/' },
  { name: 'store', path: '^src/store/' },
  { name: 'leaves', path: '^src/(clock\\.ts|config(-vars)?\\.ts|log/|crypto/)' },
  { name: 'errors', path: '^src/errors/' },
];

// Test code may reach across layers to build what it tests; the rule is about the product.
const TESTS = '(\\.test\\.ts|/test-support\\.ts|/testing\\.ts)$';

const upward = LAYERS.slice(1).map((layer, i) => ({
  name: `no-upward-from-${layer.name}`,
  comment: `${layer.name} must not import a layer above it (${LAYERS.slice(0, i + 1)
    .map((l) => l.name)
    .join(', ')})`,
  severity: 'error',
  from: { path: layer.path, pathNot: TESTS },
  to: { path: LAYERS.slice(0, i + 1).map((l) => l.path) },
}));

const ADAPTERS = ['iam', 'upstream', 'throttle', 'webhooks'];
const siblings = ADAPTERS.map((name) => ({
  name: `no-sibling-adapter-from-${name}`,
  comment: `${name} must not import another adapter (${ADAPTERS.filter((n) => n !== name).join(', ')})`,
  severity: 'error',
  from: { path: `^src/${name}/`, pathNot: TESTS },
  to: { path: `^src/(${ADAPTERS.filter((n) => n !== name).join('|')})/` },
}));

// eslint-disable-next-line no-undef -- a CommonJS config file
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle anywhere in src/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...upward,
    ...siblings,
    {
      name: 'errors-are-a-leaf',
      comment: 'The error catalogue imports nothing from the project.',
      severity: 'error',
      from: { path: '^src/errors/' },
      to: { path: '^src/', pathNot: '^src/errors/' },
    },
    {
      name: 'leaves-import-only-errors',
      comment: 'clock, config, log and crypto import nothing of the project but the error catalogue.',
      severity: 'error',
      from: { path: '^src/(clock\\.ts|config(-vars)?\\.ts|log/|crypto/)' },
      to: { path: '^src/', pathNot: '^src/(errors/|clock\\.ts|config(-vars)?\\.ts|log/|crypto/)' },
    },
    {
      name: 'concrete-parts-only-in-main',
      comment:
        'Only the composition root (and tests) constructs a concrete store engine, limiter or provider; ' +
        'everyone else sees their interfaces.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/main\\.ts$', '^src/cli/', TESTS, '^src/upstream/', '^src/throttle/', '^src/store/'],
      },
      to: {
        path: [
          '^src/upstream/graph/',
          '^src/upstream/simulator/(?!index\\.ts$)',
          '^src/throttle/(redis-|memory-)',
          '^src/store/(sqlite/|postgres\\.ts|open-database\\.ts)',
        ],
      },
    },
    {
      name: 'simulator-controls-for-the-operator',
      comment:
        "The simulator's public face (upstream/simulator/index.ts) is for the composition root and the " +
        'operator, who drives it; the domain and the gateway see only the provider port.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/main\\.ts$', '^src/cli/', '^src/operator/', '^src/upstream/', TESTS],
      },
      to: { path: '^src/upstream/simulator/index\\.ts$' },
    },
    {
      name: 'domain-sees-store-interfaces',
      comment:
        'The domain sees the store as records and repository interfaces (store/records.ts, ' +
        'store/repositories.ts), never the Kysely repositories or the engine.',
      severity: 'error',
      from: { path: '^src/(domain|actions)/', pathNot: TESTS },
      to: {
        path: '^src/store/',
        pathNot: '^src/store/(records|repositories|time-ordered-id)\\.ts$',
      },
    },
    {
      name: 'simulator-is-a-wing',
      comment:
        'The simulator reaches the store only through its public interface (store/index.ts), ' +
        'and the rest of upstream/ never reaches into the simulator.',
      severity: 'error',
      from: { path: '^src/upstream/simulator/', pathNot: TESTS },
      to: { path: '^src/store/', pathNot: '^src/store/index\\.ts$' },
    },
    {
      name: 'sqlite-engine-is-private',
      comment: 'The SQLite engine (group commit, WAL sync, checkpointer) is reached through the store.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/store/', '^src/main\\.ts$', TESTS] },
      to: { path: '^src/store/sqlite/' },
    },
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
