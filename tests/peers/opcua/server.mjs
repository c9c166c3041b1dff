// OPC UA test server for tests/EdgePartition.OpcUa.Tests and the collector tests (node-opcua, installed by
// tests/peers/install-opcua.sh). Usage: node server.mjs [port] [tokenLifetimeMs]  (port 0 or none: a free loopback
// port; tokenLifetimeMs: the longest SecureChannel token lifetime granted, to test renewal, default 600000).
// Prints "LISTENING <port>" once it accepts connections; exits when its stdin closes, so a crashed test
// process leaks no server. Variables live in namespace 1 under Objects/Plant, all with string node ids:
//   Bool, Int16, Int32, UInt32, Float, Double, String, DateTime, DoubleArray (5 elements), Int32Array (3)
//   Setpoint (Double), WriteInt32, BigArray (5000 doubles 0..4999), all writable with the initial values below;
//   Counter (UInt32, +1 every 100 ms, read-only).
import net from "node:net";
import { addConformanceSpace } from "./conformance-space.mjs";
import { OPCUAServer, DataType, Variant, StatusCodes, VariantArrayType, MessageSecurityMode, SecurityPolicy } from "node-opcua";

async function freePort() {
  return await new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const requested = Number.parseInt(process.argv[2] ?? "0", 10);
const port = requested > 0 ? requested : await freePort();
const tokenLifetime = Number.parseInt(process.argv[3] ?? "600000", 10);

const server = new OPCUAServer({
  port,
  hostname: "127.0.0.1",
  securityPolicies: [SecurityPolicy.None],
  securityModes: [MessageSecurityMode.None],
  allowAnonymous: true,
  maxConnectionsPerEndpoint: 50,
  defaultSecureTokenLifetime: tokenLifetime,
  serverCapabilities: { maxSessions: 50 },
});
await server.initialize();

const addressSpace = server.engine.addressSpace;
const ns = addressSpace.getOwnNamespace();
const plant = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Plant", nodeId: "s=Plant" });

function addWritable(name, dataType, initial, arrayType = VariantArrayType.Scalar) {
  let current = new Variant({ dataType, arrayType, value: initial });
  ns.addVariable({
    componentOf: plant,
    browseName: name,
    nodeId: `s=${name}`,
    dataType: DataType[dataType],
    valueRank: arrayType === VariantArrayType.Array ? 1 : -1,
    minimumSamplingInterval: 100,
    accessLevel: "CurrentRead | CurrentWrite",
    userAccessLevel: "CurrentRead | CurrentWrite",
    value: {
      get: () => current,
      set: (variant) => {
        current = variant;
        return StatusCodes.Good;
      },
    },
  });
}

addWritable("Bool", DataType.Boolean, true);
addWritable("Int16", DataType.Int16, -1234);
addWritable("Int32", DataType.Int32, 123456789);
addWritable("UInt32", DataType.UInt32, 4000000000);
addWritable("Float", DataType.Float, 1.5);
addWritable("Double", DataType.Double, 3.25);
addWritable("String", DataType.String, "hello edge");
addWritable("DateTime", DataType.DateTime, new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
addWritable("DoubleArray", DataType.Double, new Float64Array([1, 2, 3, 4, 5]), VariantArrayType.Array);
addWritable("Int32Array", DataType.Int32, new Int32Array([7, -8, 9]), VariantArrayType.Array);
// Targets for write tests (so they never disturb the values above) and a value big enough to need many chunks.
addWritable("Setpoint", DataType.Double, 0);
addWritable("WriteInt32", DataType.Int32, 0);
addWritable("BigArray", DataType.Double, Float64Array.from({ length: 5000 }, (_, i) => i), VariantArrayType.Array);

let counter = 0;
ns.addVariable({
  componentOf: plant,
  browseName: "Counter",
  nodeId: "s=Counter",
  dataType: "UInt32",
  minimumSamplingInterval: 100,
  accessLevel: "CurrentRead",
  userAccessLevel: "CurrentRead",
  value: { get: () => new Variant({ dataType: DataType.UInt32, value: counter }) },
});
const ticker = setInterval(() => { counter = (counter + 1) >>> 0; }, 100);

if (process.argv.includes("--conformance")) await addConformanceSpace(server, process.argv); // flags: conformance-space.mjs
// --subscription-space (after port and lifetime): the nodes of subscription-space.mjs.
if (process.argv.includes("--subscription-space")) {
  const { addSubscriptionSpace } = await import("./subscription-space.mjs");
  addSubscriptionSpace(addressSpace, ns, process.argv);
}

await server.start();
process.stdout.write(`LISTENING ${port}\n`);

async function shutdown() {
  clearInterval(ticker);
  await server.shutdown(0);
  process.exit(0);
}
process.stdin.on("end", shutdown);
process.stdin.on("close", shutdown);
process.stdin.resume();
process.on("SIGTERM", shutdown);
