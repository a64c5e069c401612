import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

const domainBans = [
  '@nestjs/*',
  '@kubernetes/client-node',
  'node:fs',
  'fs',
  'node:fs/promises',
  'node:child_process',
  'child_process',
  'node:net',
  'net',
  'pino',
  'execa',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    ignores: ['**/dist', '**/node_modules', '**/generated/**', '**/coverage', 'tmp/**', '.nx/**'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:schema'],
              bannedExternalImports: domainBans,
            },
            { sourceTag: 'type:schema', onlyDependOnLibsWithTags: ['type:schema'] },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:schema', 'type:adapter'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:schema', 'type:adapter', 'type:domain', 'type:testing'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:schema', 'type:adapter', 'type:domain', 'type:testing'],
            },
            { sourceTag: 'scope:cni', bannedExternalImports: ['@nestjs/*'] },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:schema', 'type:adapter', 'type:domain', 'type:testing'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read the environment only in src/config/ (house style §13).',
        },
      ],
    },
  },
  {
    // Config modules, tests, tooling and test kits may read the environment.
    files: [
      '**/src/config/**/*.ts',
      '**/*.spec.ts',
      'libs/testing/**/*.ts',
      'e2e/**/*.ts',
      'tools/**',
      '**/*.bench.ts',
      'apps/cni/src/main.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
];
