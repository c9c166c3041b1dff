// Nodes for the subscription tests and the subscription benchmark, added to server.mjs's namespace 1 when it is
// started with --subscription-space (optionally --mass=N, default 10000):
//   Objects/Mass/B<k>: N Double variables s=Mass.0 .. s=Mass.<N-1> (100 per folder B<k>), all changing every 100 ms (value = tick + index)
//   Objects/Analog: s=Analog.Level, a writable AnalogItem (Double) with EURange 0..100 (for percent deadband)
//                   s=Analog.Raw, a writable Double without EURange (for absolute deadband)
import { DataType, Variant, StatusCodes } from "node-opcua";

export function addSubscriptionSpace(addressSpace, ns, argv) {
  const massArg = argv.find((a) => a.startsWith("--mass="));
  const count = massArg ? Number.parseInt(massArg.slice(7), 10) : 10000;

  const mass = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Mass", nodeId: "s=Mass" });
  let tick = 0;
  // 100 variables per sub-folder: node-opcua checks a new child against its siblings, so one folder of 10,000 takes minutes.
  let block = null;
  for (let i = 0; i < count; i++) {
    if (i % 100 === 0) {
      block = ns.addFolder(mass, { browseName: `B${i / 100}`, nodeId: `s=Mass.B${i / 100}` });
    }
    ns.addVariable({
      componentOf: block,
      browseName: `V${i}`,
      nodeId: `s=Mass.${i}`,
      dataType: "Double",
      minimumSamplingInterval: 100,
      accessLevel: "CurrentRead",
      userAccessLevel: "CurrentRead",
      value: { get: () => new Variant({ dataType: DataType.Double, value: tick + i }) },
    });
  }
  const ticker = setInterval(() => { tick++; }, 100);

  const analog = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: "Analog", nodeId: "s=Analog" });
  ns.addAnalogDataItem({
    componentOf: analog,
    browseName: "Level",
    nodeId: "s=Analog.Level",
    dataType: "Double",
    engineeringUnitsRange: { low: 0, high: 100 },
    minimumSamplingInterval: 50,
    accessLevel: "CurrentRead | CurrentWrite",
    userAccessLevel: "CurrentRead | CurrentWrite",
    value: new Variant({ dataType: DataType.Double, value: 50 }),
  });
  let raw = new Variant({ dataType: DataType.Double, value: 0 });
  ns.addVariable({
    componentOf: analog,
    browseName: "Raw",
    nodeId: "s=Analog.Raw",
    dataType: "Double",
    minimumSamplingInterval: 50,
    accessLevel: "CurrentRead | CurrentWrite",
    userAccessLevel: "CurrentRead | CurrentWrite",
    value: { get: () => raw, set: (v) => { raw = v; return StatusCodes.Good; } },
  });
  return () => clearInterval(ticker);
}
