// Runs snap7's own S7Client against a server on loopback, for tests of our S7 server.
// Usage: node snap7-client.js '<json>'   with { port, rack?: 0, slot?: 1, ops: [...] }
//   ops: { op: "dbRead", db, start, size }                -> { ok, hex } | { ok: false, error }
//        { op: "dbWrite", db, start, hex }                -> { ok }
//        { op: "readArea", area: "DB"|"PE"|"PA"|"MK"|"CT"|"TM", db?, start, amount, wordLen?: "byte"|"bit"|"counter"|"timer" }
//        { op: "writeArea", area, db?, start, amount, wordLen?, hex }
//        { op: "readMulti", items: [{ area, db?, start, amount, wordLen? }] } -> { ok, items: [{ result, hex }] }
//        { op: "writeMulti", items: [{ area, db?, start, amount, wordLen?, hex }] } -> { ok, items: [{ result }] }
//        { op: "pdu" }                                      -> { ok, pdu }
//        { op: "cpuStatus" }                                -> { ok, status }
// Prints one JSON line { connected, error?, results: [...] } and exits 0; a failed connect prints connected: false.
'use strict';
const path = require('path');
const snap7 = require(path.join(__dirname, 'node_modules', 'node-snap7'));

const request = JSON.parse(process.argv[2]);
const client = new snap7.S7Client();
const areaCodes = { PE: client.S7AreaPE, PA: client.S7AreaPA, MK: client.S7AreaMK, DB: client.S7AreaDB, CT: client.S7AreaCT, TM: client.S7AreaTM };
const wordLens = { bit: client.S7WLBit, byte: client.S7WLByte, word: client.S7WLWord, counter: client.S7WLCounter, timer: client.S7WLTimer };
const fail = () => ({ ok: false, error: client.ErrorText(client.LastError()), code: client.LastError() });

function spec(item) {
  const wordLen = item.wordLen || (item.area === 'CT' ? 'counter' : item.area === 'TM' ? 'timer' : 'byte');
  return { Area: areaCodes[item.area], WordLen: wordLens[wordLen], DBNumber: item.db || 0, Start: item.start, Amount: item.amount };
}

function run(op) {
  switch (op.op) {
    case 'dbRead': { const data = client.DBRead(op.db, op.start, op.size); return data === false ? fail() : { ok: true, hex: data.toString('hex') }; }
    case 'dbWrite': return client.DBWrite(op.db, op.start, op.hex.length / 2, Buffer.from(op.hex, 'hex')) ? { ok: true } : fail();
    case 'readArea': {
      const s = spec(op);
      const data = client.ReadArea(s.Area, s.DBNumber, s.Start, s.Amount, s.WordLen);
      return data === false ? fail() : { ok: true, hex: data.toString('hex') };
    }
    case 'writeArea': {
      const s = spec(op);
      return client.WriteArea(s.Area, s.DBNumber, s.Start, s.Amount, s.WordLen, Buffer.from(op.hex, 'hex')) ? { ok: true } : fail();
    }
    case 'readMulti': {
      const result = client.ReadMultiVars(op.items.map(spec));
      return result === false ? fail() : { ok: true, items: result.map((r) => ({ result: r.Result, hex: r.Data ? r.Data.toString('hex') : null })) };
    }
    case 'writeMulti': {
      const result = client.WriteMultiVars(op.items.map((i) => ({ ...spec(i), Data: Buffer.from(i.hex, 'hex') })));
      return result === false ? fail() : { ok: true, items: result.map((r) => ({ result: r.Result })) };
    }
    case 'pdu': return { ok: true, pdu: client.PDULength() };
    case 'cpuStatus': { const status = client.PlcStatus(); return status === false ? fail() : { ok: true, status }; }
    default: return { ok: false, error: `unknown op ${op.op}` };
  }
}

client.SetParam(client.RemotePort, request.port);
if (!client.ConnectTo('127.0.0.1', request.rack || 0, request.slot === undefined ? 1 : request.slot)) {
  process.stdout.write(JSON.stringify({ connected: false, error: client.ErrorText(client.LastError()) }) + '\n');
  process.exit(0);
}
const results = (request.ops || []).map(run);
client.Disconnect();
process.stdout.write(JSON.stringify({ connected: true, results }) + '\n');
