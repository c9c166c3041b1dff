// Secured OPC UA test server for the issue 14 tests (node-opcua, installed by tests/peers/install-opcua.sh).
// Usage: node secure-server.mjs --pki DIR [--port N] [--cert FILE --key FILE] [--uri URI] [--token-lifetime MS]
//   --pki DIR            its own certificate folders (DIR/pki: own/ trusted/ rejected/ issuers/; DIR/userpki for X.509
//                        users): nothing is accepted automatically, a test trusts a client by copying its certificate
//                        into DIR/pki/trusted/certs (watched: no restart needed) and an X.509 user into DIR/userpki/trusted/certs.
//   --cert/--key         the server's certificate (DER or PEM) and PEM key, e.g. made by the test; else node-opcua makes one.
//   --uri                the server's ApplicationUri (must match the certificate's SubjectAltName URI).
//   --token-lifetime MS  the longest SecureChannel token lifetime granted (renewal tests; default 600000).
// Offers None, Basic256Sha256, Aes128_Sha256_RsaOaep and Aes256_Sha256_RsaPss x None/Sign/SignAndEncrypt, anonymous,
// user1/password1 and X.509 users. Namespace 1: s=Int32 (123456789, writable), s=Double (3.25), s=Counter (+1 / 100 ms).
// Prints "LISTENING <port>" when ready; exits when stdin closes.
import net from "node:net";
import path from "node:path";
import { OPCUAServer, OPCUACertificateManager, DataType, Variant, StatusCodes, MessageSecurityMode, SecurityPolicy } from "node-opcua";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
if (!args.pki) { process.stderr.write("secure-server: --pki DIR is required\n"); process.exit(2); }

async function freePort() {
  return await new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => { const { port } = probe.address(); probe.close(() => resolve(port)); });
  });
}

const port = Number(args.port ?? 0) > 0 ? Number(args.port) : await freePort();
const serverCertificateManager = new OPCUACertificateManager({ rootFolder: path.join(args.pki, "pki"), automaticallyAcceptUnknownCertificate: false });
const userCertificateManager = new OPCUACertificateManager({ rootFolder: path.join(args.pki, "userpki"), automaticallyAcceptUnknownCertificate: false });
await serverCertificateManager.initialize();
await userCertificateManager.initialize();

const server = new OPCUAServer({
  port,
  hostname: "127.0.0.1",
  serverCertificateManager,
  userCertificateManager,
  ...(args.cert ? { certificateFile: args.cert, privateKeyFile: args.key } : {}),
  ...(args.uri ? { serverInfo: { applicationUri: args.uri } } : {}),
  securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256, SecurityPolicy.Aes128_Sha256_RsaOaep, SecurityPolicy.Aes256_Sha256_RsaPss],
  securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
  allowAnonymous: true,
  userManager: { isValidUser: (user, password) => user === "user1" && password === "password1" },
  maxConnectionsPerEndpoint: 50,
  serverCapabilities: { maxSessions: 50 },
  defaultSecureTokenLifetime: Number(args["token-lifetime"] ?? 600000),
});
await server.initialize();

const ns = server.engine.addressSpace.getOwnNamespace();
const plant = ns.addObject({ organizedBy: server.engine.addressSpace.rootFolder.objects, browseName: "Plant", nodeId: "s=Plant" });
let int32 = new Variant({ dataType: DataType.Int32, value: 123456789 });
ns.addVariable({ componentOf: plant, browseName: "Int32", nodeId: "s=Int32", dataType: "Int32", accessLevel: "CurrentRead | CurrentWrite",
  userAccessLevel: "CurrentRead | CurrentWrite", value: { get: () => int32, set: (v) => { int32 = v; return StatusCodes.Good; } } });
ns.addVariable({ componentOf: plant, browseName: "Double", nodeId: "s=Double", dataType: "Double",
  value: { get: () => new Variant({ dataType: DataType.Double, value: 3.25 }) } });
let counter = 0;
ns.addVariable({ componentOf: plant, browseName: "Counter", nodeId: "s=Counter", dataType: "UInt32", minimumSamplingInterval: 100,
  value: { get: () => new Variant({ dataType: DataType.UInt32, value: counter }) } });
const ticker = setInterval(() => { counter = (counter + 1) >>> 0; }, 100);

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
