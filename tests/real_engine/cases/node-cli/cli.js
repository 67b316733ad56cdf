const args = process.argv.slice(2);
if (args[0] === '--help') {
  console.log('usage: wordcount TEXT...');
  process.exit(0);
}
console.log(args.join(' ').split(/\s+/).filter(Boolean).length);
