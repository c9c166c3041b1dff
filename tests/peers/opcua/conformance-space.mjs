// Conformance-style address space for the OPC UA client tests (tests/EdgePartition.OpcUa.Tests/ConformanceServer.cs)
// and the OPC UA benchmark. Loaded by server.mjs when started with --conformance; more flags:
//   --max-nodes-per-read=N --max-nodes-per-write=N --max-nodes-per-browse=N   operation limits (default 0 = none)
//   --max-continuation-points=N   browse continuation points a session may hold (default 0 = no limit)
//   --namespace-order=reversed    register the two namespaces below in the opposite order (indexes swap)
// Namespaces: urn:edgepartition:conformance (the nodes below) and urn:edgepartition:other (one node, s=Marker).
// Under Objects/Conformance, all with string node ids "Conformance.<path>":
//   Scalar/<Type>  one writable variable per built-in type, the values of SCALARS below
//   Array/<Type>   one writable array per type (3 elements), the values of ARRAYS below
//   Matrix         Double 2 x 3, values 1..6 (row-major)
//   Range          a Range structure (EURange), low -10, high 90
//   Access/ReadOnly, Access/WriteOnly, Access/None, Access/ReadWrite   Int32 42 with those access levels
//   Wide/Item000..Item149   150 Int32 variables (value = index) in one folder: forces continuation points
//   Deep/Level1/Level2/.../Level6/Leaf   Double 6.5 at the bottom of a chain of folders
import { DataType, Variant, VariantArrayType, Range, coerceNodeId } from "node-opcua";

const SCALARS = {
  Boolean: true,
  SByte: -5,
  Byte: 200,
  Int16: -1234,
  UInt16: 60000,
  Int32: -123456789,
  UInt32: 4000000000,
  Int64: [0x7ff, 0xfffffffe], // node-opcua's [high, low] form: 0x7ff_fffffffe = 8796093022206
  UInt64: [0xfffff, 0xffffffff], // 0xfffff_ffffffff = 4503599627370495
  Float: 1.5,
  Double: -3.25,
  String: "héllo wörld",
  DateTime: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)),
  Guid: "72962B91-FA75-4AE6-8D28-B404DC7DAF63",
  ByteString: Buffer.from([1, 2, 3, 250]),
  XmlElement: "<a>1</a>",
  NodeId: coerceNodeId("ns=1;s=Target"),
  StatusCode: null, // set below (node-opcua wants a StatusCode object)
  QualifiedName: { namespaceIndex: 1, name: "Qualified" },
  LocalizedText: { locale: "en", text: "Localized" },
};

const ARRAYS = {
  Boolean: [true, false, true],
  SByte: [-1, 0, 1],
  Byte: [0, 128, 255],
  Int16: [-32768, 0, 32767],
  UInt16: [0, 1, 65535],
  Int32: [-2147483648, 0, 2147483647],
  UInt32: [0, 1, 4294967295],
  Int64: [[0, 1], [0, 2], [0, 3]],
  UInt64: [[0, 4], [0, 5], [0, 6]],
  Float: [0.5, -0.25, 8],
  Double: [1.25, -2.5, 1e300],
  String: ["a", "", "ü"],
  DateTime: [new Date(Date.UTC(2020, 0, 1)), new Date(Date.UTC(2021, 5, 6, 7, 8, 9)), new Date(Date.UTC(2030, 11, 31))],
  Guid: ["00000000-0000-0000-0000-000000000001", "72962B91-FA75-4AE6-8D28-B404DC7DAF63", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"],
  ByteString: [Buffer.from([1]), Buffer.from([2, 3]), Buffer.from([])],
  LocalizedText: [{ text: "one" }, { locale: "de", text: "zwei" }, { text: "three" }],
};

function flag(argv, name) {
  const prefix = `--${name}=`;
  const found = argv.find((arg) => arg.startsWith(prefix));
  return found === undefined ? undefined : found.slice(prefix.length);
}

export async function addConformanceSpace(server, argv) {
  const limits = server.engine.serverCapabilities.operationLimits;
  limits.maxNodesPerRead = Number(flag(argv, "max-nodes-per-read") ?? 0);
  limits.maxNodesPerWrite = Number(flag(argv, "max-nodes-per-write") ?? 0);
  limits.maxNodesPerBrowse = Number(flag(argv, "max-nodes-per-browse") ?? 0);
  server.engine.serverCapabilities.maxBrowseContinuationPoints = Number(flag(argv, "max-continuation-points") ?? 0);

  const addressSpace = server.engine.addressSpace;
  const reversed = flag(argv, "namespace-order") === "reversed";
  const uris = reversed ? ["urn:edgepartition:other", "urn:edgepartition:conformance"] : ["urn:edgepartition:conformance", "urn:edgepartition:other"];
  const registered = Object.fromEntries(uris.map((uri) => [uri, addressSpace.registerNamespace(uri)]));
  const ns = registered["urn:edgepartition:conformance"];
  const other = registered["urn:edgepartition:other"];
  other.addVariable({
    organizedBy: addressSpace.rootFolder.objects, browseName: "Marker", nodeId: "s=Marker", dataType: "String",
    value: new Variant({ dataType: DataType.String, value: "other namespace" }),
  });

  const root = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Conformance", nodeId: "s=Conformance" });
  const folder = (parent, name, path) => ns.addFolder(parent, { browseName: name, nodeId: `s=Conformance.${path}` });
  const variable = (parent, name, path, dataType, variant, options = {}) => ns.addVariable({
    componentOf: parent,
    browseName: name,
    nodeId: `s=Conformance.${path}`,
    dataType,
    valueRank: variant.arrayType === VariantArrayType.Scalar ? -1 : variant.arrayType === VariantArrayType.Array ? 1 : variant.dimensions.length,
    accessLevel: options.accessLevel ?? "CurrentRead | CurrentWrite",
    userAccessLevel: options.accessLevel ?? "CurrentRead | CurrentWrite",
    value: variant,
  });

  const { StatusCodes } = await import("node-opcua");
  SCALARS.StatusCode = StatusCodes.BadNodeIdUnknown;
  const scalar = folder(root, "Scalar", "Scalar");
  for (const [type, value] of Object.entries(SCALARS)) {
    variable(scalar, type, `Scalar.${type}`, type, new Variant({ dataType: DataType[type], arrayType: VariantArrayType.Scalar, value }));
  }

  const array = folder(root, "Array", "Array");
  for (const [type, value] of Object.entries(ARRAYS)) {
    variable(array, type, `Array.${type}`, type, new Variant({ dataType: DataType[type], arrayType: VariantArrayType.Array, value }));
  }

  variable(root, "Matrix", "Matrix", "Double", new Variant({
    dataType: DataType.Double, arrayType: VariantArrayType.Matrix, dimensions: [2, 3], value: new Float64Array([1, 2, 3, 4, 5, 6]),
  }));
  variable(root, "Range", "Range", "Range", new Variant({ dataType: DataType.ExtensionObject, value: new Range({ low: -10, high: 90 }) }));

  const access = folder(root, "Access", "Access");
  for (const [name, level] of [["ReadOnly", "CurrentRead"], ["WriteOnly", "CurrentWrite"], ["None", ""], ["ReadWrite", "CurrentRead | CurrentWrite"]]) {
    variable(access, name, `Access.${name}`, "Int32", new Variant({ dataType: DataType.Int32, value: 42 }), { accessLevel: level });
  }

  const wide = folder(root, "Wide", "Wide");
  for (let i = 0; i < 150; i++) {
    const name = `Item${String(i).padStart(3, "0")}`;
    variable(wide, name, `Wide.${name}`, "Int32", new Variant({ dataType: DataType.Int32, value: i }));
  }

  let parent = folder(root, "Deep", "Deep");
  let path = "Deep";
  for (let level = 1; level <= 6; level++) {
    path += `.Level${level}`;
    parent = folder(parent, `Level${level}`, path);
  }
  variable(parent, "Leaf", `${path}.Leaf`, "Double", new Variant({ dataType: DataType.Double, value: 6.5 }));
}
