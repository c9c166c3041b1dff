// Independent Sparkplug B 3.0 checker for the northbound tests, written against Eclipse Tahu's codec
// (npm sparkplug-payload: its protobufjs classes of the Sparkplug schema) and MQTT.js, not against this project's code.
// Subscribes spBv1.0/#, checks each message against the spec rules below, reassembles every edge node's values,
// and prints one JSON line per event on stdout:
//   {"event":"ready"}
//   {"event":"message", type, group, node, device, seq, bdSeq, timestamp, metrics:[{name, alias, type, value, quality, timestamp, historical}]}
//   {"event":"violation", rule, topic, detail}
// Commands, one JSON object per stdin line:
//   {"cmd":"dump"}                                     -> {"event":"dump", nodes:{...}}
//   {"cmd":"rebirth", "group", "node"}                  -> NCMD Node Control/Rebirth = true
//   {"cmd":"publish", "topic", "text", "retain", "qos"} -> a raw publish (STATE messages)
//   {"cmd":"dcmd", "group", "node", "device", "metrics":[{name|alias, type, value}]}
//   {"cmd":"raw", "topic", "hex"}                      -> a raw binary publish (fuzzing)
// Rules checked (Sparkplug 3.0): topic namespace and shape (4.1); NBIRTH seq present and 0, bdSeq Int64 metric,
// "Node Control/Rebirth" Boolean false (4.2.1.1, 5.17); DBIRTH only after NBIRTH; DATA only after the BIRTH of its
// node/device; seq present on NBIRTH/DBIRTH/NDATA/DDATA/DDEATH, +1 per message modulo 256 (6.4.5); no seq on NDEATH;
// NDEATH bdSeq equal to the NBIRTH's (5.5); payload timestamp on every message; every metric of BIRTH/DATA has a
// timestamp (6.4.6); BIRTH metrics have name, datatype and a value or is_null; DATA metrics use a known alias and
// repeat no datatype change; Quality property, when present, is Int32 0/192/500 (6.4.9.1).
import { createRequire } from "node:module";
import readline from "node:readline";
const require = createRequire(import.meta.url);
const mqtt = require("mqtt");
const sparkplug = require("sparkplug-payload").get("spBv1.0");
const Root = require("sparkplug-payload/lib/sparkplugPayloadProto");
const Long = require("long");
const Payload = Root.org.eclipse.tahu.protobuf.Payload;

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const url = args.url ?? "mqtt://127.0.0.1:1883";
const nodes = new Map(); // "group/node" -> state

const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const violation = (rule, topic, detail) => out({ event: "violation", rule, topic, detail });
const has = (o, f) => Object.prototype.hasOwnProperty.call(o, f);
const num = (v) => (Long.isLong(v) ? (v.high === 0 || (v.high === -1 && v.low < 0) ? v.toNumber() : v.toString()) : v);

function nodeState(key) {
  if (!nodes.has(key)) nodes.set(key, { born: false, bdSeq: null, seq: null, aliases: new Map(), values: {}, devices: new Map() });
  return nodes.get(key);
}

function quality(metric) {
  if (!metric.properties || !metric.properties.keys) return undefined;
  const i = metric.properties.keys.indexOf("Quality");
  if (i < 0) return undefined;
  const v = metric.properties.values[i];
  if (v.type !== 3) violation("quality-type", "", `Quality property of type ${v.type}, expected 3 (Int32)`);
  const q = v.intValue | 0;
  if (![0, 192, 500].includes(q)) violation("quality-value", "", `Quality ${q} is not 0, 192 or 500`);
  return q;
}

function leArray(bytes, size, read) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result = [];
  for (let i = 0; i + size <= bytes.length; i += size) result.push(read(view, i));
  return result;
}

// The value of a metric by its datatype, read from the raw protobuf fields (6.4.16/6.4.17).
function value(type, m) {
  if (m.isNull) return null;
  switch (type) {
    case 1: case 2: case 3: return m.intValue | 0;
    case 5: case 6: case 7: return m.intValue >>> 0;
    case 4: return num(Long.fromValue(m.longValue).toSigned());
    case 8: case 13: return num(Long.fromValue(m.longValue).toUnsigned());
    case 9: return m.floatValue;
    case 10: return m.doubleValue;
    case 11: return m.booleanValue;
    case 12: case 14: case 15: return m.stringValue;
    case 17: return Buffer.from(m.bytesValue).toString("base64");
    case 22: return leArray(m.bytesValue, 1, (v, i) => v.getInt8(i));
    case 23: return leArray(m.bytesValue, 2, (v, i) => v.getInt16(i, true));
    case 24: return leArray(m.bytesValue, 4, (v, i) => v.getInt32(i, true));
    case 25: return leArray(m.bytesValue, 8, (v, i) => num(Long.fromValue(v.getBigInt64(i, true).toString())));
    case 26: return leArray(m.bytesValue, 1, (v, i) => v.getUint8(i));
    case 27: return leArray(m.bytesValue, 2, (v, i) => v.getUint16(i, true));
    case 28: return leArray(m.bytesValue, 4, (v, i) => v.getUint32(i, true));
    case 29: return leArray(m.bytesValue, 8, (v, i) => num(Long.fromString(v.getBigUint64(i, true).toString(), true)));
    case 30: return leArray(m.bytesValue, 4, (v, i) => v.getFloat32(i, true));
    case 31: return leArray(m.bytesValue, 8, (v, i) => v.getFloat64(i, true));
    case 32: {
      const b = m.bytesValue;
      const count = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(0, true);
      const r = [];
      for (let i = 0; i < count; i++) r.push((b[4 + (i >> 3)] & (0x80 >> (i & 7))) !== 0);
      return r;
    }
    case 33: return Buffer.from(m.bytesValue).toString("utf8").split("\0").slice(0, -1);
    case 34: return leArray(m.bytesValue, 8, (v, i) => Number(v.getBigInt64(i, true)));
    default: return undefined;
  }
}

function checkSeq(state, topic, type, p) {
  if (!has(p, "seq")) { violation("seq-missing", topic, `${type} without seq`); return; }
  const seq = Long.fromValue(p.seq).toNumber();
  if (seq > 255) violation("seq-range", topic, `seq ${seq} > 255`);
  if (type === "NBIRTH") {
    if (seq !== 0) violation("nbirth-seq", topic, `NBIRTH seq ${seq}, expected 0`);
  } else if (state.seq !== null && seq !== (state.seq + 1) % 256) {
    violation("seq-gap", topic, `${type} seq ${seq} after ${state.seq}`);
  }
  state.seq = seq;
}

function onMessage(topic, buffer) {
  const parts = topic.split("/");
  if (parts[0] === "STATE" || (parts[0] === "spBv1.0" && parts[1] === "STATE")) return;
  if (parts[0] !== "spBv1.0") return;
  if (parts.length < 4 || parts.length > 5) { violation("topic-shape", topic, "expected spBv1.0/group/type/node[/device]"); return; }
  const [, group, type, node, device] = parts;
  const deviceTypes = ["DBIRTH", "DDEATH", "DDATA", "DCMD"];
  if (deviceTypes.includes(type) !== (device !== undefined)) violation("topic-device", topic, `${type} ${device === undefined ? "needs" : "must not have"} a device id`);
  if (type === "NCMD" || type === "DCMD") return; // commands are ours
  let p;
  try { p = Payload.decode(buffer); } catch (e) { violation("decode", topic, String(e)); return; }
  try { sparkplug.decodePayload(buffer); } catch (e) { violation("tahu-decode", topic, String(e)); }
  const key = `${group}/${node}`;
  const state = nodeState(key);
  if (!has(p, "timestamp")) violation("payload-timestamp", topic, `${type} without a payload timestamp`);
  const birth = type === "NBIRTH" || type === "DBIRTH";
  const data = type === "NDATA" || type === "DDATA";
  const metrics = [];
  let bdSeq = null;
  const aliases = state.aliases;
  const dev = device === undefined ? null : (state.devices.get(device) ?? { born: false, values: {} });
  if (dev) state.devices.set(device, dev);

  if (type === "NBIRTH") { state.born = true; state.seq = null; state.aliases = new Map(); for (const d of state.devices.values()) d.born = false; }
  if (type === "DBIRTH" && !state.born) violation("dbirth-before-nbirth", topic, "DBIRTH of a node without NBIRTH");
  if (data && !state.born) violation("data-before-birth", topic, `${type} before NBIRTH`);
  if (type === "DDATA" && !dev.born) violation("data-before-birth", topic, `DDATA of ${device} before its DBIRTH`);
  if (type === "DDEATH" && dev && !dev.born) violation("ddeath-unborn", topic, `DDEATH of ${device} that is not born`);
  if (type === "NDEATH") { if (has(p, "seq")) violation("ndeath-seq", topic, "NDEATH carries a seq"); }
  else checkSeq(state, topic, type, p);

  for (const m of p.metrics ?? []) {
    let name = has(m, "name") ? m.name : undefined;
    let datatype = has(m, "datatype") ? m.datatype : undefined;
    const alias = has(m, "alias") ? Long.fromValue(m.alias).toNumber() : undefined;
    if (birth) {
      if (name === undefined || datatype === undefined) violation("birth-metric", topic, `metric without name or datatype`);
      if (!has(m, "timestamp")) violation("metric-timestamp", topic, `birth metric ${name} without timestamp`);
      if (alias !== undefined) { if (state.aliases.has(alias) && state.aliases.get(alias).name !== name) violation("alias-duplicate", topic, `alias ${alias} used twice`); state.aliases.set(alias, { name, datatype }); }
    } else if (data) {
      if (!has(m, "timestamp")) violation("metric-timestamp", topic, `data metric without timestamp`);
      const known = alias !== undefined ? state.aliases.get(alias) : undefined;
      if (name === undefined && !known) { violation("alias-unknown", topic, `alias ${alias} not in any BIRTH`); continue; }
      name = name ?? known.name;
      if (datatype !== undefined && known && datatype !== known.datatype) violation("datatype-changed", topic, `${name}: ${datatype} after ${known.datatype}`);
      datatype = datatype ?? known?.datatype;
    }
    const q = quality(m);
    const v = value(datatype, m);
    const ts = has(m, "timestamp") ? Long.fromValue(m.timestamp).toNumber() : null;
    const historical = !!m.isHistorical;
    if (name === "bdSeq") bdSeq = num(Long.fromValue(m.longValue));
    metrics.push({ name, alias, type: datatype, value: v, quality: q, timestamp: ts, historical });
  }
  if (type === "NBIRTH") {
    if (bdSeq === null) violation("nbirth-bdseq", topic, "NBIRTH without bdSeq");
    const rebirth = metrics.find((m) => m.name === "Node Control/Rebirth");
    if (!rebirth || rebirth.type !== 11 || rebirth.value !== false) violation("nbirth-rebirth", topic, "NBIRTH needs Node Control/Rebirth Boolean false");
    if (metrics.find((m) => m.name === "bdSeq")?.type !== 4) violation("bdseq-type", topic, "bdSeq is not Int64");
    state.bdSeq = bdSeq;
    state.values = {};
  }
  if (type === "NDEATH") {
    if (bdSeq === null) violation("ndeath-bdseq", topic, "NDEATH without bdSeq");
    // A duplicate or stale NDEATH (bdSeq of another session) is ignored, as hosts do (5.5).
    if (state.born && bdSeq === state.bdSeq) { state.born = false; for (const d of state.devices.values()) d.born = false; }
  }
  if (type === "DBIRTH") { dev.born = true; dev.values = {}; }
  if (type === "DDEATH" && dev) dev.born = false;
  const target = dev ? dev.values : state.values;
  for (const m of metrics) {
    if (m.historical || m.name === undefined) continue;
    if (birth || data) target[m.name] = { value: m.value, quality: m.quality ?? (birth ? undefined : target[m.name]?.quality), timestamp: m.timestamp, type: m.type };
  }
  out({ event: "message", type, group, node, device: device ?? null, seq: has(p, "seq") ? Long.fromValue(p.seq).toNumber() : null, bdSeq, timestamp: has(p, "timestamp") ? Long.fromValue(p.timestamp).toNumber() : null, metrics });
}

function dump() {
  const result = {};
  for (const [key, s] of nodes) {
    const devices = {};
    for (const [name, d] of s.devices) devices[name] = { born: d.born, values: d.values };
    result[key] = { born: s.born, bdSeq: s.bdSeq, seq: s.seq, values: s.values, devices };
  }
  out({ event: "dump", nodes: result });
}

const typeCodes = { Int8: 1, Int16: 2, Int32: 3, Int64: 4, UInt8: 5, UInt16: 6, UInt32: 7, UInt64: 8, Float: 9, Double: 10, Boolean: 11, String: 12 };
// --session ID: a persistent session (clean=false, QoS 1 subscription), so a broker configured with
// queue_qos0_messages keeps what the edge node publishes while the checker reconnects after a broker restart.
const session = args.session;
const client = mqtt.connect(url, session ? { clean: false, reconnectPeriod: 200, clientId: session } : { clean: true, reconnectPeriod: 200, clientId: `checker-${process.pid}` });
let subscribed = false;
client.on("connect", () => {
  if (subscribed) return;
  subscribed = true;
  client.subscribe(["spBv1.0/#"], { qos: session ? 1 : 0 }, () => out({ event: "ready" }));
});
client.on("message", (topic, payload) => onMessage(topic, payload));
client.on("error", (e) => out({ event: "error", detail: String(e) }));
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  let c;
  try { c = JSON.parse(line); } catch { return; }
  if (c.cmd === "dump") dump();
  else if (c.cmd === "rebirth") {
    const body = Payload.encode({ timestamp: Date.now(), metrics: [{ name: "Node Control/Rebirth", datatype: 11, booleanValue: true, timestamp: Date.now() }] }).finish();
    client.publish(`spBv1.0/${c.group}/NCMD/${c.node}`, Buffer.from(body), { qos: 0 }, () => out({ event: "sent", cmd: "rebirth" }));
  } else if (c.cmd === "dcmd") {
    const metrics = c.metrics.map((m) => ({ ...m, timestamp: Date.now() }));
    const body = sparkplug.encodePayload({ timestamp: Date.now(), metrics });
    client.publish(`spBv1.0/${c.group}/DCMD/${c.node}/${c.device}`, Buffer.from(body), { qos: 0 }, () => out({ event: "sent", cmd: "dcmd" }));
  } else if (c.cmd === "publish") {
    client.publish(c.topic, c.text, { qos: c.qos ?? 1, retain: !!c.retain }, () => out({ event: "sent", cmd: "publish", topic: c.topic }));
  } else if (c.cmd === "raw") {
    client.publish(c.topic, Buffer.from(c.hex, "hex"), { qos: 0 }, () => out({ event: "sent", cmd: "raw" }));
  }
});
process.stdin.on("end", () => client.end(true, () => process.exit(0)));
