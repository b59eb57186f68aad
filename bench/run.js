#!/usr/bin/env node
// Compiles the TypeScript benchmarks and examples (tsconfig.scripts.json) and runs one benchmark:
//   npm run bench -- neighbor-list   (arguments after the name go to the benchmark)
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const name = process.argv[2];
const helpers = ['timing.ts', 'shared-data.ts', 'lammps.ts']; // imported by the benchmarks, not benchmarks themselves
const available = fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts') && !helpers.includes(f)).map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>; available: ${available.join(', ')}`);
  process.exit(2);
}
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.scripts.json'], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [path.join(root, 'build-scripts', 'bench', `${name}.js`), ...process.argv.slice(3)], { cwd: root, stdio: 'inherit' });
