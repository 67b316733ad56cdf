// Writes its pid file next to itself, as many services do, then serves.
const fs = require('fs');
const http = require('http');
fs.writeFileSync('./server.pid', String(process.pid));
http.createServer((req, res) => {
  res.writeHead(200, {'Content-Type': 'text/plain'});
  res.end('ok\n');
}).listen(3000, () => console.log('listening on 3000'));
