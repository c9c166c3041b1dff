// node-opcua's own client timing the same Reads as bench/OpcUa/Program.cs, for the side-by-side comparison.
// Usage: node node-client.mjs PEERS_DIR ENDPOINT ITERATIONS   (PEERS_DIR: tests/peers/opcua, where node-opcua is installed)
// Prints one JSON line per case: {"case":"Read 1","p50":µs,"p99":µs,"max":µs}.
import { createRequire } from "node:module";
import path from "node:path";

const [peers, endpoint, iterationsText] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(peers), "package.json"));
const { OPCUAClient, AttributeIds } = require("node-opcua");
const iterations = Number.parseInt(iterationsText ?? "1000", 10);

const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 } });
await client.connect(endpoint);
const session = await client.createSession();
const namespaces = (await session.read({ nodeId: "i=2255", attributeId: AttributeIds.Value })).value.value;
const ns = namespaces.indexOf("urn:edgepartition:conformance");

function nodes(count) {
  return Array.from({ length: count }, (_, i) => ({
    nodeId: `ns=${ns};s=Conformance.Wide.Item${String(i % 150).padStart(3, "0")}`,
    attributeId: AttributeIds.Value,
  }));
}

for (const count of [1, 100, 1000]) {
  const request = nodes(count);
  const runs = count === 1000 ? Math.max(1, Math.floor(iterations / 4)) : iterations;
  for (let i = 0; i < Math.min(200, runs); i++) {
    await session.read(request, 0);
  }

  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await session.read(request, 0);
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }

  samples.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({
    case: `Read ${count}`, p50: samples[Math.floor(runs / 2)], p99: samples[Math.floor(runs * 0.99)], max: samples[runs - 1],
  }) + "\n");
}

await session.close();
await client.disconnect();
