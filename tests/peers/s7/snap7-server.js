// A snap7 S7Server (virtual PLC) on a loopback port for tests, driven over stdin/stdout with a line protocol.
// Usage: node snap7-server.js '<json options>'
//   options: { areas: [{ area: "DB"|"PE"|"PA"|"MK"|"CT"|"TM", number: 1, size: 1024, fill: "zero"|"index" }],
//              maxClients?: n, pduRequest?: n, script?: "js run once with (server, plc, log) in scope" }
// snap7 copies a registered buffer, so PLC memory is reached through `plc`: plc.get(area, number) returns a copy,
// plc.set(area, number, buffer) replaces the whole area, plc.update(area, number, fn) edits a copy and writes it back.
// Prints "ready <port>" once listening. Then one reply line per command line:
//   read <area> <number> <offset> <length>   -> ok <hex>
//   write <area> <number> <offset> <hex>     -> ok
//   clients                                  -> ok <connected clients>
//   cpu run|stop                             -> ok
//   eval <js expression>                     -> ok <JSON of the result>   (server, plc, log in scope)
//   quit                                     -> stops the server and exits
// Errors reply "err <message>". Lines starting "log " are script output, not replies. The process exits when stdin
// closes, so a test that dies never leaves a server behind.
'use strict';
const path = require('path');
const net = require('net');
const readline = require('readline');
const snap7 = require(path.join(__dirname, 'node_modules', 'node-snap7'));

const options = JSON.parse(process.argv[2] || '{}');
const server = new snap7.S7Server();
const codes = { PE: server.srvAreaPE, PA: server.srvAreaPA, MK: server.srvAreaMK, CT: server.srvAreaCT, TM: server.srvAreaTM, DB: server.srvAreaDB };
const areas = {};
const key = (area, number) => area === 'DB' ? `DB${number}` : area;
const log = (text) => process.stdout.write(`log ${String(text).replace(/\n/g, ' ')}\n`);

// node-snap7 takes the DB number only for DBs: (code, number, ...) for DB, (code, ...) for the other areas.
const at = (name, number) => (name === 'DB' ? [codes[name], number] : [codes[name]]);

function area(name, number) {
  if (!areas[key(name, number)]) throw new Error(`area ${key(name, number)} is not registered`);
  return server.GetArea(...at(name, number));
}

const plc = {
  get: (name, number = 0) => area(name, number),
  set: (name, number, buffer) => { area(name, number); server.SetArea(...at(name, number), buffer); },
  update: (name, number, fn) => {
    // GetArea and SetArea each take snap7's area lock (taking it around both deadlocks for some areas).
    const buffer = area(name, number);
    fn(buffer);
    server.SetArea(...at(name, number), buffer);
  },
};

for (const spec of options.areas || [{ area: 'DB', number: 1, size: 1024 }]) {
  if (!(spec.area in codes)) throw new Error(`unknown area ${spec.area}`);
  const buffer = Buffer.alloc(spec.size);
  if (spec.fill === 'index') for (let i = 0; i < buffer.length; i++) buffer[i] = i & 0xff;
  areas[key(spec.area, spec.number)] = buffer;
  if (!server.RegisterArea(...at(spec.area, spec.number || 0), buffer)) throw new Error(`RegisterArea ${key(spec.area, spec.number)} failed`);
}
if (options.maxClients) server.SetParam(server.MaxClients, options.maxClients);
if (options.pduRequest) server.SetParam(server.PDURequest, options.pduRequest);

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => { const port = probe.address().port; probe.close(() => resolve(port)); });
  });
}

function handle(line) {
  const [command, ...args] = line.trim().split(' ');
  switch (command) {
    case 'read': {
      const [name, number, offset, length] = [args[0], +args[1], +args[2], +args[3]];
      const buffer = area(name, number);
      if (offset < 0 || offset + length > buffer.length) throw new Error('out of range');
      return buffer.subarray(offset, offset + length).toString('hex');
    }
    case 'write': {
      const [name, number, offset, hex] = [args[0], +args[1], +args[2], args[3] || ''];
      const data = Buffer.from(hex, 'hex');
      plc.update(name, number, (buffer) => {
        if (offset < 0 || offset + data.length > buffer.length) throw new Error('out of range');
        data.copy(buffer, offset);
      });
      return '';
    }
    case 'clients': return String(server.ClientsCount());
    case 'cpu': server.SetCpuStatus(args[0] === 'stop' ? server.S7CpuStatusStop : server.S7CpuStatusRun); return '';
    case 'eval': {
      // eslint-disable-next-line no-new-func
      const result = new Function('server', 'plc', 'log', `return (${args.join(' ')});`)(server, plc, log);
      return JSON.stringify(result === undefined ? null : result);
    }
    case 'quit': server.Stop(); process.stdout.write('ok\n'); process.exit(0); return '';
    default: throw new Error(`unknown command ${command}`);
  }
}

(async () => {
  let started = false;
  let port = 0;
  for (let attempt = 0; attempt < 10 && !started; attempt++) {
    port = await freePort();
    server.SetParam(server.LocalPort, port);
    started = server.StartTo('127.0.0.1') !== false;
  }
  if (!started) { process.stdout.write('err could not start the snap7 server\n'); process.exit(1); }
  if (options.script) {
    // eslint-disable-next-line no-new-func
    new Function('server', 'plc', 'log', options.script)(server, plc, log);
  }
  process.stdout.write(`ready ${port}\n`);
  const input = readline.createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (!line.trim()) return;
    try { process.stdout.write(`ok ${handle(line)}`.trimEnd() + '\n'); } catch (e) { process.stdout.write(`err ${e.message}\n`); }
  });
  input.on('close', () => { server.Stop(); process.exit(0); });
})();
