// node-opcua's own client receiving the same subscription as bench/OpcUa's "subscriptions" mode, for comparison.
// Usage: node node-subscriber.mjs PEERS_OPCUA_DIR ENDPOINT ITEMS WARMUP_S MEASURE_S
// Prints one line: NODE <notifications/s> <cpu % of one core> <rss MiB>
import { createRequire } from "node:module";
import path from "node:path";

const [peers, endpoint, itemsText, warmupText, measureText] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(peers), "package.json"));
const { OPCUAClient, AttributeIds, TimestampsToReturn, ClientMonitoredItemGroup } = require("node-opcua");

const items = Number.parseInt(itemsText, 10);
const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 1 } });
await client.connect(endpoint);
const session = await client.createSession();
const subscription = await session.createSubscription2({
  requestedPublishingInterval: 100, requestedMaxKeepAliveCount: 20, requestedLifetimeCount: 200,
  maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 0,
});
let count = 0;
const toMonitor = Array.from({ length: items }, (_, i) => ({ nodeId: `ns=1;s=Mass.${i}`, attributeId: AttributeIds.Value }));
const group = ClientMonitoredItemGroup.create(subscription, toMonitor, { samplingInterval: -1, queueSize: 1, discardOldest: true }, TimestampsToReturn.Both);
group.on("changed", () => { count++; });
await new Promise((resolve) => group.on("initialized", resolve));

await new Promise((r) => setTimeout(r, Number(warmupText) * 1000));
const startCount = count;
const startCpu = process.cpuUsage();
const start = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, Number(measureText) * 1000));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(startCpu);
const rate = (count - startCount) / seconds;
const cpuPercent = ((cpu.user + cpu.system) / 1e6 / seconds) * 100;
console.log(`NODE ${rate.toFixed(0)} ${cpuPercent.toFixed(1)} ${(process.memoryUsage().rss / 1048576).toFixed(0)}`);
await subscription.terminate();
await session.close();
await client.disconnect();
process.exit(0);
