#!/usr/bin/env bash
# tools/new-project.sh KIND NAME TYPE_TAG SCOPE_TAG — scaffold an Nx project (kind: app|lib|e2e).
set -euo pipefail
kind=$1 name=$2 type=$3 scope=$4
case $kind in app) dir=apps/$name ;; lib) dir=libs/$name ;; e2e) dir=e2e ;; esac
mkdir -p "$dir/src"
rel=$(realpath --relative-to="$dir" .)
cat > "$dir/package.json" <<JSON
{
  "name": "@spiderpool/$name",
  "version": "0.1.0",
  "private": true,
  "type": "module"
}
JSON
build=''
if [ "$kind" = app ]; then
  build=$(cat <<JSON
    "build": {
      "executor": "nx:run-commands",
      "options": { "command": "node tools/bundle.mjs $name" },
      "outputs": ["{workspaceRoot}/dist/apps/$name"]
    },
JSON
)
fi
cat > "$dir/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "$rel/node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "$([ "$kind" = lib ] && echo library || echo application)",
  "tags": ["type:$type", "scope:$scope"],
  "targets": {
$build
    "lint": {
      "executor": "nx:run-commands",
      "options": { "command": "eslint --max-warnings=0 $dir" }
    },
    "typecheck": {
      "executor": "nx:run-commands",
      "options": { "command": "tsc -p $dir/tsconfig.json --noEmit" }
    },
    "test": {
      "executor": "nx:run-commands",
      "options": { "command": "node --experimental-vm-modules node_modules/jest/bin/jest.js -c $dir/jest.config.mjs --selectProjects unit --passWithNoTests" }
    },
    "test-int": {
      "executor": "nx:run-commands",
      "options": { "command": "node --experimental-vm-modules node_modules/jest/bin/jest.js -c $dir/jest.config.mjs --selectProjects int --passWithNoTests --runInBand" }
    },
    "test-node": {
      "executor": "nx:run-commands",
      "options": { "command": "node --experimental-vm-modules node_modules/jest/bin/jest.js -c $dir/jest.config.mjs --selectProjects node --passWithNoTests --runInBand" }
    }
  }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "$rel/tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"] },
  "include": ["src/**/*.ts", "*.ts"]
}
JSON
cat > "$dir/tsconfig.spec.json" <<JSON
{
  "extends": "./tsconfig.json",
  "compilerOptions": { "sourceMap": true }
}
JSON
cat > "$dir/jest.config.mjs" <<JSON
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jestConfig } from '$rel/jest.base.mjs';

export default jestConfig(dirname(fileURLToPath(import.meta.url)));
JSON
