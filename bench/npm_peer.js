#!/usr/bin/env node
// Reads every file named in LIST (one path a line) in this one process and
// hands it to an npm peer, the way bench/corpus_timing.sh runs dockerfix:
//   ast    dockerfile-ast's parser (compare with `dockerfix parse`)
//   utils  dockerfile-utils' validate(), its linter (compare with `dockerfix check`)
// Prints a summary on stderr.
//   node bench/npm_peer.js ast|utils LIST
'use strict';
const fs = require('fs');

const [mode, list] = process.argv.slice(2);
if (!list || !['ast', 'utils'].includes(mode)) {
  console.error('usage: node bench/npm_peer.js ast|utils LIST');
  process.exit(2);
}
const name = mode === 'ast' ? 'dockerfile-ast' : 'dockerfile-utils';
const run = (() => {
  if (mode === 'ast') {
    const { DockerfileParser } = require('dockerfile-ast');
    return (text) => DockerfileParser.parse(text).getInstructions().length;
  }
  const { validate } = require('dockerfile-utils');
  return (text) => validate(text).length;
})();
const paths = fs.readFileSync(list, 'utf8').split('\n').filter((p) => p.length > 0);

let files = 0;
let bytes = 0;
let items = 0;
const start = process.hrtime.bigint();
for (const path of paths) {
  const buffer = fs.readFileSync(path);
  bytes += buffer.length;
  items += run(buffer.toString('utf8'));
  files += 1;
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const what = mode === 'ast' ? 'instructions' : 'diagnostics';
console.error(`${name}: ${files} files, ${bytes} bytes, ${items} ${what}, ${ms.toFixed(1)} ms inside node`);
