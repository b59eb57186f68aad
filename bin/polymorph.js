#!/usr/bin/env node
// The command line: `npx polymorph <study> --config study.json` (see lib/cli/main.ts, --help).
'use strict';
require('../dist/cli/main.js').main(process.argv.slice(2)).then((status) => { process.exitCode = status; });
