// The env keys each app's zod config schema declares, read from the apps' TypeScript source. The e2e project may not
// import apps (Nx tag constraints), so the schema object literals are located with the TypeScript parser instead:
// `const <name> = z.object({ KEY: …, ...SHAPE })` (optionally followed by `.transform(…)`), where a spread `SHAPE`
// is an object literal `const SHAPE = { … }` declared anywhere in the same app's `src/`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { workspaceRoot } from './chart-render.js';

/** Which schema describes the env of a container (app folder, file under src/, exported const). */
export interface SchemaRef {
  readonly app: string;
  readonly file: string;
  readonly name: string;
}

export const APP_ENV_SCHEMAS = {
  controller: { app: 'controller', file: 'config/schema.ts', name: 'ControllerEnvSchema' },
  clean: { app: 'controller', file: 'config/clean.config.ts', name: 'EnvSchema' },
  agent: { app: 'agent', file: 'config/schema.ts', name: 'AgentEnvSchema' },
  webhook: { app: 'webhook', file: 'config/schema.ts', name: 'WebhookEnvSchema' },
} as const satisfies Record<string, SchemaRef>;

const parse = (path: string): ts.SourceFile =>
  ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

function findConst(file: ts.SourceFile, name: string): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      found = node.initializer;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The object literal passed to the first `z.object` / `z.looseObject` / `z.strictObject` call inside `expr`. */
function schemaLiteral(expr: ts.Expression): ts.ObjectLiteralExpression | undefined {
  if (ts.isObjectLiteralExpression(expr)) return expr;
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ts.isIdentifier(node.expression.expression) &&
      node.expression.expression.text === 'z' &&
      ['object', 'looseObject', 'strictObject'].includes(node.expression.name.text)
    ) {
      const arg = node.arguments[0];
      if (arg && ts.isObjectLiteralExpression(arg)) {
        found = arg;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

/** Every key `ref`'s schema declares, spreads resolved; throws when the schema cannot be found. */
export function appEnvKeys(ref: SchemaRef): Set<string> {
  const srcDir = join(workspaceRoot, 'apps', ref.app, 'src');
  const files = [join(srcDir, ref.file), ...sourceFiles(srcDir)].map(parse);
  const resolve = (name: string, from: ts.SourceFile[]): ts.ObjectLiteralExpression => {
    for (const f of from) {
      const init = findConst(f, name);
      const literal = init && schemaLiteral(init);
      if (literal) return literal;
    }
    throw new Error(`no object schema \`${name}\` in apps/${ref.app}/src`);
  };
  const keys = new Set<string>();
  const collect = (literal: ts.ObjectLiteralExpression): void => {
    for (const p of literal.properties) {
      if (ts.isSpreadAssignment(p) && ts.isIdentifier(p.expression)) collect(resolve(p.expression.text, files));
      else if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && p.name && !ts.isComputedPropertyName(p.name)) {
        keys.add(p.name.text);
      } else throw new Error(`apps/${ref.app}/src/${ref.file}: cannot read schema member \`${p.getText()}\``);
    }
  };
  collect(resolve(ref.name, files.slice(0, 1)));
  return keys;
}
