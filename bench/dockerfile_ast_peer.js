#!/usr/bin/env node
// Parses every file named in LIST (one path a line) with the npm package
// dockerfile-ast, in this one process, the way bench/corpus_timing.sh runs
// `dockerfix parse --files-from LIST`. Prints a summary on stderr.
//   node bench/dockerfile_ast_peer.js LIST
'use strict';
const fs = require('fs');
const { DockerfileParser } = require('dockerfile-ast');

const list = process.argv[2];
if (!list) {
  console.error('usage: node bench/dockerfile_ast_peer.js LIST');
  process.exit(2);
}
const paths = fs.readFileSync(list, 'utf8').split('\n').filter((p) => p.length > 0);

let files = 0;
let bytes = 0;
let instructions = 0;
const start = process.hrtime.bigint();
for (const path of paths) {
  const buffer = fs.readFileSync(path);
  bytes += buffer.length;
  const dockerfile = DockerfileParser.parse(buffer.toString('utf8'));
  instructions += dockerfile.getInstructions().length;
  files += 1;
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
console.error(
  `dockerfile-ast: ${files} files, ${bytes} bytes, ${instructions} instructions, ` +
    `${ms.toFixed(1)} ms inside node`
);
